import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { JetStreamNames } from '@loglens/contracts';

/** Bodies above this go through the object store instead of one NATS message (1 MiB cap by default). */
export const INLINE_PAYLOAD_MAX = 768 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Stores a JSON body in the payloads bucket (chunked by JetStream) and returns its object name. */
export async function putPayload(nc: NatsConnection, body: unknown): Promise<string> {
  const os = await nc.jetstream().views.os(JetStreamNames.payloads);
  const name = randomUUID();
  await os.putBlob({ name }, encoder.encode(JSON.stringify(body)));
  return name;
}

/** Reads and deletes a payload object: each is read once. */
export async function takePayload<T>(nc: NatsConnection, name: string): Promise<T> {
  const os = await nc.jetstream().views.os(JetStreamNames.payloads);
  const bytes = await os.getBlob(name);
  if (!bytes) throw new Error(`payload object ${name} is missing (expired or already read)`);
  await os.delete(name).catch(() => undefined);
  return JSON.parse(decoder.decode(bytes)) as T;
}

/** Size of a body once encoded. */
export function encodedSize(body: unknown): number {
  return Buffer.byteLength(JSON.stringify(body));
}
