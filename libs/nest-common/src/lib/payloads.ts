import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants as zlib, gunzip, gzip } from 'node:zlib';
import type { NatsConnection } from 'nats';
import { JetStreamNames, type PackEncoding } from '@loglens/contracts';

/** Bodies above this go through the object store instead of one NATS message (1 MiB cap by default). */
export const INLINE_PAYLOAD_MAX = 768 * 1024;

/**
 * JSON texts above this many characters are worth packing ({@link packJson}): below it the compression costs more
 * than the bytes it saves.
 */
export const PACK_MIN_CHARS = 64 * 1024;

/** At most this many bytes are unpacked from one packed body (a small body that inflates without end is refused). */
export const UNPACKED_MAX_BYTES = 256 * 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Stores a JSON body in the payloads bucket (chunked by JetStream) and returns its object name. */
export async function putPayload(nc: NatsConnection, body: unknown): Promise<string> {
  return putPayloadJson(nc, JSON.stringify(body));
}

/** {@link putPayload} of a body already written as JSON text. */
export async function putPayloadJson(nc: NatsConnection, json: string): Promise<string> {
  const os = await nc.jetstream().views.os(JetStreamNames.payloads);
  const name = randomUUID();
  await os.putBlob({ name }, encoder.encode(json));
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

/**
 * A JSON text packed to travel inside a JSON message: Brotli (quality 3, off the event loop) then base64. Log lines
 * and analyze replies shrink 6-25×, so a body that needed the payloads bucket (a JavaScript SHA-256 over every byte
 * on both sides, a JetStream publish per 128 KiB chunk) fits one NATS message. `gzip` (level 1) packs what the
 * gateway hands on to an HTTP client as it is (`Content-Encoding: gzip`, which every client reads; Brotli is only
 * offered by some): it costs about as much to make, and comes out ~2× larger than Brotli's.
 */
export async function packJson(json: string, encoding: PackEncoding = 'br'): Promise<string> {
  const size = Buffer.byteLength(json);
  const pooled = !scratch.busy && size <= SCRATCH_MAX_BYTES;
  let bytes: Buffer;
  if (pooled) {
    if (scratch.buffer.length < size) scratch.buffer = Buffer.allocUnsafe(Math.min(SCRATCH_MAX_BYTES, 2 ** Math.ceil(Math.log2(size))));
    scratch.buffer.write(json, 0, 'utf8');
    bytes = scratch.buffer.subarray(0, size);
    scratch.busy = true;
  } else bytes = Buffer.from(json, 'utf8');
  try {
    const packed =
      encoding === 'gzip' ? await gzipAsync(bytes, { level: 1 }) : await compress(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 3, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
    return packed.toString('base64');
  } finally {
    if (pooled) scratch.busy = false;
  }
}

/** The largest JSON text (bytes) {@link packJson} writes into its reused buffer; a larger one gets a Buffer of its own. */
const SCRATCH_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The bytes of the text being packed, reused from one pack to the next instead of a fresh multi-megabyte Buffer per
 * analyze reply (allocating one measured 1–20 ms, mostly page faults; the gain over whole requests was within the
 * noise, docs/benchmarks.md). It stays allocated, at most SCRATCH_MAX_BYTES, once a large text was packed. One pack
 * uses it at a time (the compression runs on the thread pool meanwhile); a pack that starts while it is busy
 * allocates its own.
 */
const scratch: { buffer: Buffer; busy: boolean } = { buffer: Buffer.alloc(0), busy: false };

/**
 * The JSON text's bytes (UTF-8) of a {@link packJson} body; refuses (VALIDATION_FAILED-worthy Error) a body that is not
 * one or unpacks to more than `maxBytes`.
 */
export async function unpackJson(packed: string, maxBytes = UNPACKED_MAX_BYTES, encoding: PackEncoding = 'br'): Promise<Buffer> {
  try {
    const bytes = Buffer.from(packed, 'base64');
    return encoding === 'gzip' ? await gunzipAsync(bytes, { maxOutputLength: maxBytes }) : await decompress(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    throw new Error(`the packed body does not unpack (${(e as Error).message})`);
  }
}
