import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Msg, NatsConnection, Subscription } from 'nats';
import {
  decodeTensorFrame,
  encodeTensorFrame,
  InferenceSubjects,
  LogLensError,
  MODEL_NAME_PATTERN,
  QueueGroups,
  splitParts,
  VERSION_REF_PATTERN,
  type ErrorBody,
  type InferBinaryReplyHead,
  type InferBinaryRequest,
} from '@loglens/contracts';
import { NATS_CONNECTION } from '@loglens/nest-common';
import type { InferBytesTensor } from '@loglens/model-runtime';
import { InferBytesService } from './predict.service';
import { ServingTable } from './serving-table.service';

/**
 * `inference.infer-binary.v1` on a plain queue-group subscription: a frame (4-byte length, JSON head, the tensors'
 * bytes) in, a frame out. The input tensors are built on the message's bytes, the outputs' bytes are the session's
 * own buffers: no number is formatted or parsed on the way.
 */
@Injectable()
export class InferBinaryResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InferBinaryResponder.name);
  private sub?: Subscription;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly inference: InferBytesService,
    private readonly table: ServingTable,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.table.ready;
    this.sub = this.nc.subscribe(InferenceSubjects.inferBinary, { queue: QueueGroups.inference, callback: (_err, msg) => this.handle(msg) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sub?.drain().catch(() => undefined);
  }

  private handle(msg: Msg): void {
    if (!msg.reply) return;
    let parsed: { req: InferBinaryRequest; inputs: InferBytesTensor[] };
    try {
      parsed = readInferFrame(msg.data);
    } catch (e) {
      return this.respond(msg, e);
    }
    this.inference.infer(parsed.req, parsed.inputs).then(
      ({ reply, parts }) => this.respond(msg, { response: reply }, parts),
      (e: unknown) => this.respond(msg, e),
    );
  }

  private respond(msg: Msg, outcome: InferBinaryReplyHead | unknown, parts: Uint8Array[] = []): void {
    let frame: Uint8Array;
    if (isReplyHead(outcome)) {
      frame = encodeTensorFrame(outcome, parts);
      const max = this.nc.info?.max_payload ?? Infinity;
      if (frame.byteLength > max) {
        frame = errorFrame(new LogLensError('PAYLOAD_TOO_LARGE', `the reply to this infer is ${frame.byteLength} bytes, over the NATS payload limit of ${max}: send fewer rows per request`));
      }
    } else {
      if (!(outcome instanceof LogLensError)) this.logger.error(`infer failed: ${outcome instanceof Error ? (outcome.stack ?? outcome.message) : String(outcome)}`);
      frame = errorFrame(outcome);
    }
    try {
      msg.respond(frame);
    } catch (e) {
      this.logger.error(`could not reply: ${(e as Error).message}`);
    }
  }
}

function isReplyHead(x: unknown): x is InferBinaryReplyHead {
  return typeof x === 'object' && x !== null && 'response' in x;
}

function errorFrame(e: unknown): Uint8Array {
  const err: ErrorBody = e instanceof LogLensError ? e.toBody() : { code: 'INTERNAL', message: `internal error while handling ${InferenceSubjects.inferBinary}` };
  return encodeTensorFrame({ err });
}

/** A request frame's head checked and its tensors cut out of its body (views of the message). */
export function readInferFrame(bytes: Uint8Array): { req: InferBinaryRequest; inputs: InferBytesTensor[] } {
  const bad = (m: string) => new LogLensError('VALIDATION_FAILED', m);
  const { head, body } = decodeTensorFrame(bytes);
  if (typeof head !== 'object' || head === null || Array.isArray(head)) throw bad('the frame head must be an object');
  const h = head as Record<string, unknown>;
  if (h['model'] !== undefined && (typeof h['model'] !== 'string' || !MODEL_NAME_PATTERN.test(h['model']))) throw bad('model must be a model name');
  if (h['version'] !== undefined && (typeof h['version'] !== 'string' || !VERSION_REF_PATTERN.test(h['version']))) throw bad('version must look like name@<number>');
  if (h['outputs'] !== undefined && (!Array.isArray(h['outputs']) || !h['outputs'].every((o) => typeof o === 'string'))) throw bad('outputs must be a list of output names');
  const heads = h['inputs'];
  if (!Array.isArray(heads) || heads.length === 0) throw bad('inputs must hold at least one tensor');
  heads.forEach((t: unknown, k) => {
    const x = t as Record<string, unknown> | null;
    if (typeof x !== 'object' || x === null || typeof x['name'] !== 'string' || typeof x['datatype'] !== 'string' || !Number.isSafeInteger(x['byteLength']) || (x['byteLength'] as number) < 0) {
      throw bad(`inputs[${k}] must be a {name, datatype, shape, byteLength} tensor`);
    }
  });
  const typed = heads as InferBinaryRequest['inputs'];
  const parts = splitParts(
    body,
    typed.map((t) => t.byteLength),
    typed.map((t) => t.name),
    'the frame',
  );
  const req: InferBinaryRequest = { inputs: typed, ...(h['model'] ? { model: h['model'] as string } : {}), ...(h['version'] ? { version: h['version'] as string } : {}), ...(h['outputs'] ? { outputs: h['outputs'] as string[] } : {}) };
  return { req, inputs: typed.map((t, i) => ({ name: t.name, datatype: t.datatype, shape: t.shape, bytes: parts[i] })) };
}
