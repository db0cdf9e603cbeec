/**
 * docs/asyncapi.yaml (AsyncAPI 3.0): every NATS subject of libs/contracts with its message schemas, one operation per
 * subject (request/reply subjects with their `reply`), and who sends / receives it. Generated, never edited by hand:
 *
 *   npm run asyncapi
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { NAMESPACE, StreamSubjects, withoutNamespace } from '@loglens/contracts';
import { generateComponentSchemas, type Json } from './json-schemas';
import { readCatalog, readParticipants, type CatalogEntry } from './subject-catalog';

export const ASYNCAPI_FILE = 'docs/asyncapi.yaml';

/** `RegistrySubjects` + `listModels` → `registry.listModels` (a channel / operation id) */
const channelId = (e: CatalogEntry) => `${e.map.replace(/Subjects$/, '').replace(/^./, (c) => c.toLowerCase())}.${e.key}`;
/** a schema component name per type argument */
const schemaKey = (e: CatalogEntry, role: string) => `${channelId(e).replace(/\./g, '_')}_${role}`;

/** The schemas of every type argument, through the shared generator (libs/contract-docs/src/lib/json-schemas.ts). */
function messageSchemas(entries: CatalogEntry[], root: string): Record<string, Json> {
  const names = [...new Set(entries.flatMap((e) => e.typeNames))].sort();
  const props = entries.flatMap((e) => {
    const roles = e.kind === 'rpc' ? ['request', 'reply'] : ['payload'];
    return e.types.map((t, i) => `  ${schemaKey(e, roles[i])}: ${t};`);
  });
  const dir = path.join(root, 'tmp/contract-docs');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `asyncapi-root-${process.pid}.ts`);
  writeFileSync(file, [`import type { ${names.join(', ')} } from '@loglens/contracts';`, '', 'export interface AsyncApiMessages {', ...props, '}', ''].join('\n'));
  try {
    return generateComponentSchemas(file, 'AsyncApiMessages', 'json-schema');
  } finally {
    rmSync(file, { force: true });
  }
}

/** Does NATS subject filter `filter` (`*`, `>` wildcards) cover `subject` (itself maybe a wildcard)? */
export function subjectCovers(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const t = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return t.length > i;
    if (i >= t.length || (f[i] !== '*' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/** The JetStream stream (bare name, e.g. `LOGS`) that keeps a bare subject, from the contracts' StreamSubjects. */
function streamOf(subject: string): string | undefined {
  for (const [stream, filters] of Object.entries(StreamSubjects)) {
    if (filters.some((f) => subjectCovers(withoutNamespace(f), subject))) return stream.slice(NAMESPACE.length + 1);
  }
  return undefined;
}

const RAW_PAYLOAD = { type: 'string', contentEncoding: 'binary', description: 'raw bytes (a log line, or the original message of a dead letter)' };

export function buildAsyncApi(root = process.cwd()): Json {
  const entries = readCatalog(root);
  const participants = readParticipants(root);
  const schemas = messageSchemas(entries, root);
  const rootKeys = new Set(entries.flatMap((e) => (e.kind === 'rpc' ? [schemaKey(e, 'request'), schemaKey(e, 'reply')] : [schemaKey(e, 'payload')])));
  const plainRefs = [...rootKeys].filter((k) => schemas[k] && Object.keys(schemas[k]).length === 1 && typeof schemas[k]['$ref'] === 'string');
  const channels: Json = {};
  const operations: Json = {};
  for (const e of entries) {
    const id = channelId(e);
    const who = participants.get(`${e.map}.${e.key}`) ?? { senders: [], receivers: [] };
    // a type argument naming one type points at that type's component; a union or an array has its own
    const payload = (role: string) => {
      if (e.kind === 'raw') return RAW_PAYLOAD;
      const key = schemaKey(e, role);
      const schema = schemas[key];
      if (schema && Object.keys(schema).length === 1 && typeof schema['$ref'] === 'string') return schema;
      return { $ref: `#/components/schemas/${key}` };
    };
    const description = [e.description, `\`${e.map}.${e.key}\` in libs/contracts.`].filter(Boolean).join(' ');
    const x = { 'x-senders': who.senders, 'x-receivers': who.receivers };
    if (e.kind === 'rpc') {
      channels[id] = {
        address: `{namespace}.${e.subject}`,
        description,
        parameters: { namespace: { $ref: '#/components/parameters/namespace' } },
        messages: { request: { name: e.types[0], contentType: 'application/json', payload: payload('request') } },
      };
      channels[`${id}.reply`] = {
        address: null,
        description: `Replies on ${e.subject} (the requester's inbox). An error comes back as the contracts' ErrorBody.`,
        messages: { reply: { name: e.types[1], contentType: 'application/json', payload: payload('reply') } },
      };
      operations[id] = {
        action: 'receive',
        summary: `${e.map}.${e.key}: request/reply, handled by ${who.receivers.join(', ') || '(no handler found)'}`,
        channel: { $ref: `#/channels/${id}` },
        messages: [{ $ref: `#/channels/${id}/messages/request` }],
        reply: {
          address: { location: '$message.header#/replyTo', description: 'the NATS reply inbox of the request' },
          channel: { $ref: `#/channels/${id}.reply` },
          messages: [{ $ref: `#/channels/${id}.reply/messages/reply` }],
        },
        ...x,
      };
    } else {
      const stream = streamOf(e.subject);
      channels[id] = {
        address: `{namespace}.${e.subject}`,
        description: stream ? `${description} Kept by the JetStream stream \`{namespace}-${stream}\`.` : description,
        ...(stream ? { 'x-jetstream-stream': stream } : {}),
        parameters: { namespace: { $ref: '#/components/parameters/namespace' } },
        messages: { [e.kind === 'raw' ? 'raw' : 'payload']: { name: e.types[0] ?? 'bytes', contentType: e.kind === 'raw' ? 'application/octet-stream' : 'application/json', payload: payload('payload') } },
      };
      operations[id] = {
        action: 'send',
        summary: `${e.map}.${e.key}: ${e.kind === 'raw' ? 'raw bytes' : 'event'}, published by ${who.senders.join(', ') || '(see description)'}`,
        channel: { $ref: `#/channels/${id}` },
        messages: [{ $ref: `#/channels/${id}/messages/${e.kind === 'raw' ? 'raw' : 'payload'}` }],
        ...x,
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'LogLens NATS contracts',
      version: '1',
      description: [
        'Every NATS subject LogLens uses, generated from libs/contracts (`npm run asyncapi`; do not edit by hand).',
        'Request/reply operations are described from the handling service (action `receive`, with `reply`);',
        'events from the publisher (action `send`). `x-senders` / `x-receivers` list the apps and libraries whose',
        'code sends or receives the subject. Every subject starts with the namespace (LOGLENS_NAMESPACE).',
      ].join(' '),
    },
    defaultContentType: 'application/json',
    servers: { nats: { host: 'localhost:4222', protocol: 'nats', description: 'nats-server with JetStream (npm start)' } },
    channels,
    operations,
    components: {
      parameters: { namespace: { default: 'loglens', description: 'LOGLENS_NAMESPACE of the stack' } },
      schemas: Object.fromEntries(Object.entries(schemas).filter(([k]) => !plainRefs.includes(k))),
    },
  };
}

export function renderAsyncApi(doc: Json): string {
  return `# Generated by libs/contract-docs (npm run asyncapi) from libs/contracts: do not edit by hand.\n${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
