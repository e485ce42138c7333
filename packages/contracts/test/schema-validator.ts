/**
 * Validates values against the component schemas of one OpenAPI 3.1 document with the servers'
 * own schema compiler (`src/validation/schema-compiler.ts`, answers mode: nothing coerced or
 * filled in), so a test checks a value exactly as a server checks an answer.
 */
import type { OpenApiDocument } from '../src/openapi-documents';
import { SchemaCompiler } from '../src/validation/schema-compiler';

export interface SchemaVerdict {
  valid: boolean;
  errors: string;
}

export type SchemaValidator = (schemaName: string, value: unknown) => SchemaVerdict;

export function schemaValidatorFor(document: OpenApiDocument): SchemaValidator {
  const compiler = new SchemaCompiler(document);
  return (schemaName, value) => {
    if (document.components?.schemas?.[schemaName] === undefined) {
      throw new Error(`${document.info.title} has no schema ${schemaName}`);
    }
    const validate = compiler.compile('answer', { $ref: `#/components/schemas/${schemaName}` });
    const valid = validate(value) === true;
    const errors = (validate.errors ?? [])
      .map((error) => `${error.instancePath} ${error.message ?? error.keyword}`)
      .join(', ');
    return { valid, errors };
  };
}
