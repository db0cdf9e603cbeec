/**
 * Writes contract-schemas.generated.ts: the OpenAPI 3.0 schema of every reply type named in libs/contracts/src/lib/gateway-replies.ts, generated
 * from the TypeScript types themselves (the contracts stay the one source of the shapes; nothing is copied by hand).
 *
 *   node tools/ts-run.mjs apps/gateway/src/openapi/generate-contract-schemas.ts
 *
 * The unit spec beside it fails when the checked-in file is not what this would write.
 * Build-time only: the gateway imports the generated file, never this one (ts-json-schema-generator is a dev dependency).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGenerator, type Config } from 'ts-json-schema-generator';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

type Json = Record<string, unknown>;

const HERE = path.join(process.cwd(), 'apps/gateway/src/openapi');
export const GENERATED_FILE = path.join(HERE, 'contract-schemas.generated.ts');
const ROOT_TYPE = 'OpenApiReplies';

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
const isGenericInstance = (definition: string) => decodeURIComponent(definition).includes('<');

/**
 * One JSON Schema (draft-07, as the generator writes it) as an OpenAPI 3.0 schema object; `definitions` are the
 * generator's, for inlining generic instantiations.
 */
function toOpenApi30(schema: unknown, definitions: Record<string, Json>): unknown {
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

/** The components.schemas entries of every reply type: one per OpenApiReplies key, plus the types they refer to. */
export function generateContractSchemas(): Record<string, SchemaObject | ReferenceObject> {
  const config: Config = {
    path: path.join(process.cwd(), 'libs/contracts/src/lib/gateway-replies.ts'),
    tsconfig: path.join(process.cwd(), 'tsconfig.base.json'),
    type: ROOT_TYPE,
    expose: 'all',
    topRef: true,
    jsDoc: 'basic',
    skipTypeCheck: true,
    additionalProperties: false,
    sortProps: true,
  };
  const json = createGenerator(config).createSchema(ROOT_TYPE) as Json;
  const definitions = json['definitions'] as Record<string, Json>;
  const root = definitions[ROOT_TYPE];
  const out: Record<string, SchemaObject | ReferenceObject> = {};
  for (const [name, def] of Object.entries(definitions)) {
    if (name === ROOT_TYPE || isGenericInstance(name)) continue;
    out[componentName(name)] = toOpenApi30(def, definitions) as SchemaObject;
  }
  // a key of OpenApiReplies that names an array or a generic gets its own component (the others are already there)
  for (const [name, prop] of Object.entries(root['properties'] as Record<string, Json>)) {
    const target = typeof prop['$ref'] === 'string' ? componentName((prop['$ref'] as string).replace('#/definitions/', '')) : null;
    if (target === name) continue;
    out[name] = toOpenApi30(prop, definitions) as SchemaObject;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

export function renderGeneratedFile(schemas: Record<string, SchemaObject | ReferenceObject>): string {
  return [
    '// Generated by apps/gateway/src/openapi/generate-contract-schemas.ts from libs/contracts/src/lib/gateway-replies.ts: do not edit by hand.',
    "import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';",
    '',
    `export const CONTRACT_SCHEMAS: Record<string, SchemaObject | ReferenceObject> = ${JSON.stringify(schemas, null, 2)};`,
    '',
  ].join('\n');
}

// run as a script (tools/ts-run.mjs bundles and imports it, so require.main is not this module)
if (/generate-contract-schemas\.(ts|cjs|js)$/.test(process.argv[1] ?? '')) {
  writeFileSync(GENERATED_FILE, renderGeneratedFile(generateContractSchemas()));
  console.log(`wrote ${path.relative(process.cwd(), GENERATED_FILE)}`);
}
