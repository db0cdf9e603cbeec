import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { checkPredictRequest, InferenceSubjects, LogLensError, QueueGroups, type ErrorBody, type PredictReply } from '@loglens/contracts';
import { NATS_CONNECTION } from '@loglens/nest-common';
import { errorReplyJson, predictReplyJson } from './predict-reply-json';
import { PredictService } from './predict.service';
import { ServingTable } from './serving-table.service';

const decoder = new TextDecoder();

/**
 * The predict hot path on a plain queue-group subscription: the Nest transport's per-message routing, class-based
 * validation and rxjs plumbing cost more CPU than the model for small models (docs/benchmarks.md). Speaks the same
 * envelope (`{pattern, data, id}` → `{response | err, isDisposed, id}`, or plain JSON in and out) and the same
 * typed errors; rows are checked cell by cell by the model runtime.
 */
@Injectable()
export class PredictResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PredictResponder.name);
  private sub?: Subscription;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly predictions: PredictService,
    private readonly table: ServingTable,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // join the queue group only once the worker serves what the registry says
    await this.table.ready;
    this.sub = this.nc.subscribe(InferenceSubjects.predict, { queue: QueueGroups.inference, callback: (_err, msg) => this.handle(msg) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sub?.drain().catch(() => undefined);
  }

  /** Synchronous up to the batcher: the reply is sent from the batch's callback, with no promise per request. */
  private handle(msg: Msg): void {
    if (!msg.reply) return;
    let id: string | undefined;
    try {
      const envelope = parseEnvelope(msg.data);
      id = envelope.id;
      this.predictions.predictWith(checkPredictRequest(envelope.data), (e, reply) => this.respond(msg, id, e ?? reply));
    } catch (e) {
      this.respond(msg, id, e as Error);
    }
  }

  private respond(msg: Msg, id: string | undefined, outcome: PredictReply | Error | undefined): void {
    let body: string;
    if (outcome instanceof Error || outcome === undefined) {
      if (!(outcome instanceof LogLensError)) this.logger.error(`predict failed: ${outcome?.stack ?? 'no reply'}`);
      const err: ErrorBody = outcome instanceof LogLensError ? outcome.toBody() : { code: 'INTERNAL', message: 'internal error while handling inference.predict.v1' };
      body = errorReplyJson(err, id);
    } else {
      body = predictReplyJson(outcome, id);
    }
    try {
      // Buffer.from is a third of TextEncoder.encode's cost for short strings (both give UTF-8 bytes)
      msg.respond(Buffer.from(body));
    } catch (e) {
      this.logger.error(`could not reply: ${(e as Error).message}`);
    }
  }
}

function parseEnvelope(data: Uint8Array): { id?: string; data: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data));
  } catch {
    throw new LogLensError('VALIDATION_FAILED', 'payload is not valid JSON');
  }
  if (typeof parsed === 'object' && parsed !== null && 'pattern' in parsed && 'data' in parsed) {
    const e = parsed as { data: unknown; id?: unknown };
    return { data: e.data, ...(typeof e.id === 'string' ? { id: e.id } : {}) };
  }
  return { data: parsed };
}
