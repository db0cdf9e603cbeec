/**
 * JSON schemas of TypeScript types, generated from the types themselves (ts-json-schema-generator): the one code path
 * both the gateway's OpenAPI document (apps/gateway/src/openapi) and the AsyncAPI document (docs/asyncapi.yaml) use.
 * Build-time only: ts-json-schema-generator is a dev dependency, no service imports this at run time.
 */
import path from 'node:path';
import { createGenerator, type Config } from 'ts-json-schema-generator';

export type Json = Record<string, unknown>;

/** Schema-object keywords OpenAPI 3.0 allows (its Schema Object is a subset of JSON Schema draft-05 plus nullable). */
const OPENAPI_30_KEYWORDS = new Set([
  'title', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength',
  'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required', 'enum', 'type',
  'not', 'allOf', 'oneOf', 'anyOf', 'items', 'properties', 'additionalProperties', 'description', 'format', 'default',
  'nullable', 'readOnly', 'writeOnly', 'example', 'deprecated', '$ref',
]);

/** Component names must match ^[a-zA-Z0-9.\-_]+$ in OpenAPI 3.0; generic instantiations get readable ones. */
export function componentName(definition: string): string {
  return decodeURIComponent(definition).replace(/[^a-zA-Z0-9._-]+/g, '_').replace(/^_+|_+$/g, '');
}

/** `null` and nothing else, as OpenAPI 3.0.3 spells it (nullable needs a type; the enum leaves only null). */
const NULL_ONLY = { type: 'object', nullable: true, enum: [null] };

/** A generic instantiation (Record<K, V>, Pick<…>): inlined where used, its generated name is no name for a client. */
export const isGenericInstance = (definition: string) => decodeURIComponent(definition).includes('<');

/**
 * One JSON Schema (draft-07, as the generator writes it) as an OpenAPI 3.0 schema object; `definitions` are the
 * generator's, for inlining generic instantiations.
 */
export function toOpenApi30(schema: unknown, definitions: Record<string, Json>): unknown {
  const convert = (v: unknown) => toOpenApi30(v, definitions);
  if (Array.isArray(schema)) return schema.map(convert);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = { ...(schema as Json) };
  if (typeof s['$ref'] === 'string') {
    const target = (s['$ref'] as string).replace('#/definitions/', '');
    if (isGenericInstance(target)) return convert(definitions[decodeURIComponent(target)] ?? definitions[target]);
    return { $ref: `#/components/schemas/${componentName(target)}` };
  }
  if ('const' in s) {
    s['enum'] = [s['const']];
    delete s['const'];
  }
  // a tuple: 3.0 has no positional items, so any of the positions' schemas, with the length fixed
  if (Array.isArray(s['items'])) {
    const items = s['items'] as unknown[];
    s['items'] = items.length === 1 ? items[0] : { anyOf: items };
    s['minItems'] ??= items.length;
    if (s['additionalItems'] === false || s['maxItems'] === undefined) s['maxItems'] ??= items.length;
  }
  if (Array.isArray(s['type'])) {
    const types = (s['type'] as string[]).filter((t) => t !== 'null');
    const nullable = types.length < (s['type'] as string[]).length;
    if (types.length === 1) {
      s['type'] = types[0];
      if (nullable) s['nullable'] = true;
    } else {
      delete s['type'];
      s['anyOf'] = types.map((type, i) => (nullable && i === 0 ? { type, nullable: true } : { type }));
    }
  }
  if (Array.isArray(s['enum']) && (s['enum'] as unknown[]).includes(null)) s['nullable'] = true;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = s[key];
    if (!Array.isArray(alts)) continue;
    const rest = alts.filter((a) => !(typeof a === 'object' && a !== null && (a as Json)['type'] === 'null'));
    if (rest.length === alts.length) continue;
    // 3.0.3: `nullable` only counts beside a `type`, and a $ref takes no siblings
    const first = rest[0] as Json;
    if (rest.length === 1 && !('$ref' in first) && 'type' in first) {
      delete s[key];
      Object.assign(s, first, { nullable: true });
    } else if (!('$ref' in first) && 'type' in first) s[key] = [{ ...first, nullable: true }, ...rest.slice(1)];
    else s[key] = [...rest, NULL_ONLY];
  }
  // 3.0.3: a nullable enum lists null among its values
  if (s['nullable'] === true && Array.isArray(s['enum']) && !(s['enum'] as unknown[]).includes(null)) s['enum'] = [...(s['enum'] as unknown[]), null];
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (!OPENAPI_30_KEYWORDS.has(k)) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Json).map(([p, ps]) => [p, convert(ps)]));
    else if (k === 'required' || k === 'enum' || k === 'default' || k === 'example') out[k] = v;
    else out[k] = convert(v);
  }
  return out;
}

/** JSON Schema (draft-07, AsyncAPI's default schema format) with $refs pointing into components.schemas. */
export function toComponentJsonSchema(schema: unknown, definitions: Record<string, Json>): unknown {
  const convert = (v: unknown) => toComponentJsonSchema(v, definitions);
  if (Array.isArray(schema)) return schema.map(convert);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Json;
  if (typeof s['$ref'] === 'string') {
    const target = (s['$ref'] as string).replace('#/definitions/', '');
    if (isGenericInstance(target)) return convert(definitions[decodeURIComponent(target)] ?? definitions[target]);
    return { $ref: `#/components/schemas/${componentName(target)}` };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$schema') continue;
    if (k === 'properties' || k === 'definitions') out[k] = Object.fromEntries(Object.entries(v as Json).map(([p, ps]) => [p, convert(ps)]));
    else if (k === 'required' || k === 'enum' || k === 'default' || k === 'examples' || k === 'const') out[k] = v;
    else out[k] = convert(v);
  }
  return out;
}

export type SchemaDialect = 'openapi-3.0' | 'json-schema';

/**
 * The components.schemas entries of every property type of `rootType` (declared in `rootFile`), plus the types they
 * refer to; a property whose schema is not a plain reference to its own name gets its own component under the
 * property's name. Sorted by name, so the output is stable.
 */
export function generateComponentSchemas(rootFile: string, rootType: string, dialect: SchemaDialect): Record<string, Json> {
  const config: Config = {
    path: rootFile,
    tsconfig: path.join(process.cwd(), 'tsconfig.base.json'),
    type: rootType,
    expose: 'all',
    topRef: true,
    jsDoc: 'basic',
    skipTypeCheck: true,
    additionalProperties: false,
    sortProps: true,
  };
  const convert = dialect === 'openapi-3.0' ? toOpenApi30 : toComponentJsonSchema;
  const json = createGenerator(config).createSchema(rootType) as Json;
  const definitions = json['definitions'] as Record<string, Json>;
  const root = definitions[rootType];
  const out: Record<string, Json> = {};
  for (const [name, def] of Object.entries(definitions)) {
    if (name === rootType || isGenericInstance(name)) continue;
    out[componentName(name)] = convert(def, definitions) as Json;
  }
  // a key of the root type that names an array, a union or a generic gets its own component (the others are already there)
  for (const [name, prop] of Object.entries(root['properties'] as Record<string, Json>)) {
    const target = typeof prop['$ref'] === 'string' ? componentName((prop['$ref'] as string).replace('#/definitions/', '')) : null;
    if (target === name) continue;
    out[name] = convert(prop, definitions) as Json;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
