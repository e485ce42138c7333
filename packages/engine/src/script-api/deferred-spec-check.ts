/**
 * express-openapi-validator (5.x) builds an ajv validator for the whole OpenAPI 3.1 meta-schema
 * every time it loads a document, even with `validateApiSpec: false`, and then never calls it:
 * the largest single cost of a process's first Script API (~0.2 s of CPU on this project's
 * 2-core machine, more than the rest of the validator's set-up). `deferSpecSchemaCompile()`
 * puts a stand-in in the validator's place that compiles the meta-schema on its first
 * `validate()` only, which the library calls exactly when `validateApiSpec` is true: with the
 * check on nothing changes, with it off the compile never happens.
 */

interface SpecVerdict {
  errors: unknown[];
}

interface SpecValidator {
  validate(document: unknown): SpecVerdict;
}

interface SpecValidatorOptions {
  version: string;
  validateApiSpec: boolean;
}

type SpecValidatorClass = new (options: SpecValidatorOptions) => SpecValidator;

interface SpecValidatorModule {
  OpenAPISchemaValidator: SpecValidatorClass;
}

/** Where the library keeps it; its framework reads the export at each `new`, so a swap takes. */
const SPEC_VALIDATOR_MODULE = 'express-openapi-validator/dist/framework/openapi.schema.validator';

const deferredMarker = Symbol.for('gibbon.deferredSpecSchemaCompile');

function deferred(Eager: SpecValidatorClass): SpecValidatorClass {
  class DeferredSpecValidator implements SpecValidator {
    private eager: SpecValidator | undefined;

    constructor(private readonly options: SpecValidatorOptions) {}

    validate(document: unknown): SpecVerdict {
      this.eager ??= new Eager(this.options);
      return this.eager.validate(document);
    }
  }
  Object.defineProperty(DeferredSpecValidator, deferredMarker, { value: true });
  return DeferredSpecValidator;
}

/**
 * Installs the stand-in, once per process (idempotent). Throws when the library no longer has
 * the validator where this expects it, so an upgrade that moves it fails the tests instead of
 * silently bringing the cost back.
 */
export function deferSpecSchemaCompile(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module the package does not export by name.
  const module = require(SPEC_VALIDATOR_MODULE) as Partial<SpecValidatorModule>;
  const current = module.OpenAPISchemaValidator;
  if (typeof current !== 'function') {
    throw new TypeError(
      `express-openapi-validator no longer exports OpenAPISchemaValidator from ${SPEC_VALIDATOR_MODULE}; check src/script-api/deferred-spec-check.ts against its new version.`,
    );
  }
  if (deferredMarker in current) return;
  module.OpenAPISchemaValidator = deferred(current);
}
