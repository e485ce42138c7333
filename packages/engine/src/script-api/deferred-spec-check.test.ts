import { OpenApiSpecLoader } from 'express-openapi-validator/dist/framework/openapi.spec.loader';
import * as schemaValidatorExports from 'express-openapi-validator/dist/framework/openapi.schema.validator';
import { deferSpecSchemaCompile } from './deferred-spec-check';
import { scriptApiDocument } from './script-api-document';

interface SpecValidatorModule {
  OpenAPISchemaValidator: new (options: { version: string; validateApiSpec: boolean }) => object;
}

/** The module the stand-in replaces, as the library's framework sees it. */
const specValidatorModule = schemaValidatorExports as unknown as SpecValidatorModule;

/** Counts how often the library's own (eager, meta-schema compiling) validator is built. */
const Original = specValidatorModule.OpenAPISchemaValidator;
let eagerBuilds = 0;
specValidatorModule.OpenAPISchemaValidator = class CountingSpecValidator extends Original {
  constructor(options: { version: string; validateApiSpec: boolean }) {
    eagerBuilds += 1;
    super(options);
  }
};
deferSpecSchemaCompile();

function load(apiDoc: unknown, validateApiSpec: boolean): Promise<unknown> {
  return new OpenApiSpecLoader({
    apiDoc: structuredClone(apiDoc) as never,
    validateApiSpec,
  }).load();
}

describe('deferSpecSchemaCompile', () => {
  beforeEach(() => {
    eagerBuilds = 0;
  });

  it('never compiles the OpenAPI meta-schema when the document check is off', async () => {
    await load(scriptApiDocument(), false);
    expect(eagerBuilds).toBe(0);
  });

  it('still checks the document when asked: the Script API document passes', async () => {
    await expect(load(scriptApiDocument(), true)).resolves.toBeDefined();
    expect(eagerBuilds).toBe(1);
  });

  it('still rejects a document that breaks the OpenAPI 3.1 schema when asked', async () => {
    const broken = { ...scriptApiDocument(), info: { title: 42 } };
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(load(broken, true)).rejects.toThrow(/apiDoc was invalid/);
  });

  it('is installed once however often it is called', () => {
    const installed = specValidatorModule.OpenAPISchemaValidator;
    deferSpecSchemaCompile();
    expect(specValidatorModule.OpenAPISchemaValidator).toBe(installed);
  });
});
