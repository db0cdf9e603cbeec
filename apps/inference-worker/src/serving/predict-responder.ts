import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { checkPredictRequest, decodePredictFrame, encodePredictReplyFrame, InferenceSubjects, LogLensError, QueueGroups, type ErrorBody, type PredictReply, type PredictRequest, type ShadowPoolProbeReply } from '@loglens/contracts';
import { ContractDeserializer, HealthResponder, NATS_CONNECTION, SERVICE_IDENTITY, UNPARSEABLE_PAYLOAD, type ServiceIdentity } from '@loglens/nest-common';
import { contextOf, contextWith, failSpan, recordSpan, runIn, SpanKind, startSpan, tracingEnabled } from '@loglens/tracing';
import { MirrorGuard } from './mirror-guard';
import { errorReplyJson, predictReplyJson } from './predict-reply-json';
import { PredictService } from './predict.service';
import { ServingTable } from './serving-table.service';
import { WORKER_ENV, type WorkerEnv } from '../app/worker.env';

const envelopes = new ContractDeserializer();

/** how often the shadow pool measures how far behind the mirrored traffic it is (MirrorGuard) */
const MIRROR_CHECK_MS = 250;

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
  private binarySub?: Subscription;
  private probe?: Subscription;
  private guard?: MirrorGuard;
  private guardTimer?: NodeJS.Timeout;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly predictions: PredictService,
    private readonly table: ServingTable,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    private readonly health: HealthResponder,
  ) {}

  /** in the shadow pool (WORKER_POOL=shadow) this worker mirrors predict traffic instead of answering it */
  private get shadowPool(): boolean {
    return this.env.WORKER_POOL === 'shadow';
  }

  async onApplicationBootstrap(): Promise<void> {
    // join the queue group only once the worker serves what the registry says
    await this.table.ready;
    if (this.shadowPool) {
      this.subscribeMirror();
      this.guardMirror();
      this.probe = this.nc.subscribe(InferenceSubjects.shadowPool, {
        queue: QueueGroups.inferenceShadow,
        callback: (_err, msg) => msg.reply && msg.respond(Buffer.from(JSON.stringify({ instanceId: this.identity.instanceId } satisfies ShadowPoolProbeReply))),
      });
      this.predictions.answeringProbes();
      return;
    }
    this.sub = this.nc.subscribe(InferenceSubjects.predict, { queue: QueueGroups.inference, callback: (_err, msg) => this.handle(msg) });
    this.binarySub = this.nc.subscribe(InferenceSubjects.predictBinary, { queue: QueueGroups.inference, callback: (_err, msg) => this.handleBinary(msg) });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.guardTimer) clearInterval(this.guardTimer);
    await this.probe?.drain().catch(() => undefined);
    await this.binarySub?.drain().catch(() => undefined);
    await this.sub?.drain().catch(() => undefined);
  }

  /**
   * A second queue group on the predict subjects (JSON and tensor frame): NATS hands the pool one copy of every request,
   * which it never answers.
   */
  private subscribeMirror(): void {
    this.sub = this.nc.subscribe(InferenceSubjects.predict, { queue: QueueGroups.inferenceShadow, callback: (_err, msg) => this.mirror(msg) });
    this.binarySub = this.nc.subscribe(InferenceSubjects.predictBinary, { queue: QueueGroups.inferenceShadow, callback: (_err, msg) => this.mirrorBinary(msg) });
  }

  /**
   * Every MIRROR_CHECK_MS the pool measures how far behind the mirrored traffic it is, and stops mirroring for a while
   * when it is too far behind (MirrorGuard: nats-server would otherwise stall the callers for it).
   */
  private guardMirror(): void {
    const guard = (this.guard = new MirrorGuard({ maxLagMs: this.env.WORKER_SHADOW_MAX_LAG_MS, pauseMs: this.env.WORKER_SHADOW_PAUSE_MS }));
    this.health.addDetails('mirror', () => guard.state);
    let checking = false;
    let due = performance.now() + MIRROR_CHECK_MS;
    this.guardTimer = setInterval(() => {
      const late = performance.now() - due;
      due = performance.now() + MIRROR_CHECK_MS;
      if (checking || this.nc.isClosed()) return;
      checking = true;
      const sent = performance.now();
      this.nc.flush().then(
        () => {
          checking = false;
          const change = guard.observe(Math.max(performance.now() - sent, late), performance.now());
          if (change === 'pause') {
            this.sub?.unsubscribe();
            this.binarySub?.unsubscribe();
            this.sub = this.binarySub = undefined;
            this.logger.warn(`shadow pool ${guard.state.lagMs} ms behind the predict traffic (limit ${guard.state.maxLagMs}): copies go unscored for at least ${this.env.WORKER_SHADOW_PAUSE_MS} ms, so that NATS never holds the callers back for the pool`);
          } else if (change === 'resume') {
            this.subscribeMirror();
            this.logger.log(`shadow pool caught up (${guard.state.lagMs} ms behind): mirroring the predict traffic again`);
          }
        },
        () => (checking = false),
      );
    }, MIRROR_CHECK_MS);
    this.guardTimer.unref();
  }

  /** The shadow pool's copy of a request: queued for the shadow version when its experiment says so; never answered. */
  private mirror(msg: Msg): void {
    if (!this.predictions.wantsCopy(msg.data)) return;
    try {
      const packet = envelopes.deserialize(msg.data) as { data: unknown };
      if (packet.data === UNPARSEABLE_PAYLOAD) return;
      this.predictions.mirror(checkPredictRequest(packet.data));
    } catch {
      // the serving worker that got the same request answers its caller with the error
    }
  }

  private mirrorBinary(msg: Msg): void {
    if (!this.predictions.wantsCopy(msg.data)) return;
    try {
      this.predictions.mirror(checkPredictRequest(decodePredictFrame(msg.data)));
    } catch {
      // answered by the serving worker
    }
  }

  /** `inference.predict-binary.v1`: the same request as a tensor frame, answered with a frame (predict-frame.ts). */
  private handleBinary(msg: Msg): void {
    if (!msg.reply) return;
    try {
      const req = checkPredictRequest(decodePredictFrame(msg.data));
      this.predictions.predictWith(req, (e, reply) => this.respondBinary(msg, e ?? reply));
    } catch (e) {
      this.respondBinary(msg, e as Error);
    }
  }

  private respondBinary(msg: Msg, outcome: PredictReply | Error | undefined): void {
    let frame: Uint8Array;
    if (outcome instanceof Error || outcome === undefined) {
      if (!(outcome instanceof LogLensError)) this.logger.error(`predict failed: ${outcome?.stack ?? 'no reply'}`);
      frame = encodePredictReplyFrame({ err: outcome instanceof LogLensError ? outcome.toBody() : { code: 'INTERNAL', message: `internal error while handling ${InferenceSubjects.predictBinary}` } });
    } else {
      frame = encodePredictReplyFrame({ response: outcome });
    }
    const max = this.nc.info?.max_payload ?? Infinity;
    if (frame.byteLength > max) {
      const rows = outcome instanceof Error || outcome === undefined ? 0 : outcome.scores.length;
      frame = encodePredictReplyFrame({ err: new LogLensError('PAYLOAD_TOO_LARGE', `the reply to this predict (${rows} rows) is ${frame.byteLength} bytes, over the NATS payload limit of ${max}: send fewer rows per request`).toBody() });
    }
    try {
      msg.respond(frame);
    } catch (e) {
      this.logger.error(`could not reply: ${(e as Error).message}`);
    }
  }

  /** Synchronous up to the batcher: the reply is sent from the batch's callback, with no promise per request. */
  private handle(msg: Msg): void {
    if (!msg.reply) return;
    let id: string | undefined;
    try {
      // the transport's own reading (Nest envelope or plain JSON); no replyTo, so no id is made up for plain bodies
      const packet = envelopes.deserialize(msg.data) as { data: unknown; id?: string };
      id = packet.id;
      if (packet.data === UNPARSEABLE_PAYLOAD) throw new LogLensError('VALIDATION_FAILED', 'payload is not valid JSON');
      const req = checkPredictRequest(packet.data);
      if (tracingEnabled()) return this.traced(msg, id, req);
      this.predictions.predictWith(req, (e, reply) => this.respond(msg, id, e ?? reply));
    } catch (e) {
      this.respond(msg, id, e as Error);
    }
  }

  /**
   * The same, in a SERVER span continuing the caller's trace, with the batch's queue wait and compute as its
   * children (timed by the batcher, recorded after the fact).
   */
  private traced(msg: Msg, id: string | undefined, req: PredictRequest): void {
    const parent = contextOf(msg.headers);
    const startedAt = performance.timeOrigin + performance.now();
    const span = startSpan(`${InferenceSubjects.predict} process`, {
      kind: SpanKind.SERVER,
      parent,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': InferenceSubjects.predict, 'loglens.rows': req.rows.length },
    });
    const ctx = contextWith(span, parent);
    runIn(ctx, () =>
      this.predictions.predictWith(req, (e, reply) => {
        if (e || !reply) failSpan(span, e ?? new Error('no reply'));
        else {
          span?.setAttribute('loglens.model_version', reply.modelVersion);
          const queued = startedAt + (reply.timings?.queueMs ?? 0);
          recordSpan('batch queue', startedAt, queued, { parent: ctx });
          recordSpan('compute', queued, queued + (reply.timings?.computeMs ?? 0), { parent: ctx, attributes: { 'loglens.model_version': reply.modelVersion } });
          span?.end();
        }
        this.respond(msg, id, e ?? reply);
      }),
    );
  }

  private respond(msg: Msg, id: string | undefined, outcome: PredictReply | Error | undefined): void {
    let body: string;
    if (outcome instanceof Error || outcome === undefined) {
      if (!(outcome instanceof LogLensError)) this.logger.error(`predict failed: ${outcome?.stack ?? 'no reply'}`);
      const err: ErrorBody = outcome instanceof LogLensError ? outcome.toBody() : { code: 'INTERNAL', message: `internal error while handling ${InferenceSubjects.predict}` };
      body = errorReplyJson(err, id);
    } else {
      body = predictReplyJson(outcome, id);
    }
    // Buffer.from is a third of TextEncoder.encode's cost for short strings (both give UTF-8 bytes)
    let bytes = Buffer.from(body);
    const max = this.nc.info?.max_payload ?? Infinity;
    if (bytes.length > max) {
      // NATS would refuse it and the caller would wait for its timeout: say what happened instead
      const rows = outcome instanceof Error || outcome === undefined ? 0 : outcome.scores.length;
      const err = new LogLensError(
        'PAYLOAD_TOO_LARGE',
        `the reply to this predict (${rows} rows${outcome instanceof Error || !outcome?.explanations ? '' : ' with attributions'}) is ${bytes.length} bytes, over the NATS payload limit of ${max}: send fewer rows per request`,
      );
      bytes = Buffer.from(errorReplyJson(err.toBody(), id));
    }
    try {
      msg.respond(bytes);
    } catch (e) {
      this.logger.error(`could not reply: ${(e as Error).message}`);
    }
  }
}
