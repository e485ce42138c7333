/**
 * Validates values against the component schemas of one OpenAPI 3.1 document with Ajv's
 * JSON Schema 2020-12 dialect (the dialect of OpenAPI 3.1 schemas), as the services'
 * express-openapi-validator does.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '../src/openapi-documents';

export interface SchemaVerdict {
  valid: boolean;
  errors: string;
}

export type SchemaValidator = (schemaName: string, value: unknown) => SchemaVerdict;

export function schemaValidatorFor(document: OpenApiDocument): SchemaValidator {
  // strict: false lets OpenAPI's own keywords (discriminator, x-*) pass as annotations.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'doc', components: document.components ?? {} });
  return (schemaName, value) => {
    const validate = ajv.getSchema(`doc#/components/schemas/${schemaName}`);
    if (!validate) throw new Error(`${document.info.title} has no schema ${schemaName}`);
    const valid = validate(value) === true;
    return { valid, errors: ajv.errorsText(validate.errors) };
  };
}
