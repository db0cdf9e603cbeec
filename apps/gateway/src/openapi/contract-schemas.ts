import type { OpenAPIObject } from '@nestjs/swagger';
import { isDeepStrictEqual } from 'node:util';
import { CONTRACT_SCHEMAS } from './contract-schemas.generated';

/**
 * Adds the reply schemas generated from the contracts (see generate-contract-schemas.ts) to the document's components,
 * where the operations' `$ref`s point. A name Nest already used for a different schema is a bug: fail at start.
 */
export function withContractSchemas(doc: OpenAPIObject): OpenAPIObject {
  const schemas = { ...(doc.components?.schemas ?? {}) };
  for (const [name, schema] of Object.entries(CONTRACT_SCHEMAS)) {
    if (name in schemas && !isDeepStrictEqual(schemas[name], schema)) {
      throw new Error(`OpenAPI component "${name}" is both a Nest DTO class and a contract reply type: rename one`);
    }
    schemas[name] = schema;
  }
  return { ...doc, components: { ...doc.components, schemas } };
}
