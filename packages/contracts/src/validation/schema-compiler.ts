import Ajv2020, { type Options, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '../openapi-documents';

/** How a compiled schema treats what it checks. */
export type SchemaMode =
  /** Path, query and header values arrive as text: coerced to the schema's types, defaults filled. */
  | 'parameters'
  /** Request bodies: no coercion (JSON has its types), defaults filled (`attempt: 1`). */
  | 'body'
  /** Answers: checked as they are, never changed. */
  | 'answer';

const modeOptions: Record<SchemaMode, Options> = {
  parameters: { coerceTypes: 'array', useDefaults: true },
  body: { useDefaults: true },
  answer: {},
};

type Json = Record<string, unknown>;

/**
 * The document's schemas as ajv takes them: local `$ref`s point into the registered document
 * (`<id>#/components/...`), and a discriminator keeps only its property name (ajv picks the
 * branch by the `const` each branch gives that property; it refuses OpenAPI's `mapping`).
 */
function forAjv(value: unknown, id: string): unknown {
  if (Array.isArray(value)) return value.map((each) => forAjv(each, id));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, entry] of Object.entries(value as Json)) {
    if (key === '$ref' && typeof entry === 'string' && entry.startsWith('#/'))
      out[key] = id + entry;
    else if (key === 'discriminator' && typeof entry === 'object' && entry !== null) {
      out[key] = { propertyName: (entry as Json).propertyName };
    } else out[key] = forAjv(entry, id);
  }
  return out;
}

/**
 * Compiles the schemas of one OpenAPI 3.1 document (JSON Schema 2020-12) with ajv, each on
 * first use: a process pays only for the operations it serves (the Script API of a one-job
 * build compiles three). The document's components are registered once per mode, so a shared
 * component compiles once per mode, however many operations use it.
 */
export class SchemaCompiler {
  private readonly instances = new Map<SchemaMode, Ajv2020>();
  private readonly id = 'gibbon-openapi';

  constructor(private readonly document: OpenApiDocument) {}

  compile(mode: SchemaMode, schema: unknown): ValidateFunction {
    return this.ajv(mode).compile(forAjv(schema, this.id) as Json);
  }

  private ajv(mode: SchemaMode): Ajv2020 {
    let ajv = this.instances.get(mode);
    if (ajv === undefined) {
      ajv = new Ajv2020({
        ...modeOptions[mode],
        allErrors: true,
        strict: false,
        discriminator: true,
        // Errors carry their schema: a refused pattern is worded by its description.
        verbose: true,
        // The documents are checked against the OpenAPI schema by the contracts' tests.
        validateSchema: false,
      });
      addFormats(ajv);
      ajv.addSchema({ $id: this.id, components: forAjv(this.document.components ?? {}, this.id) });
      this.instances.set(mode, ajv);
    }
    return ajv;
  }
}
