import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InferenceSubjects, LogLensError, parseVersionRef, type InferBinaryReply, type InferBinaryRequest, type InferReply, type InferRequest, type PredictReply, type PredictRequest, type PredictRow } from '@loglens/contracts';
import { ShadowQueue, type ShadowScorer } from '@loglens/experiments';
import { HealthResponder, RpcClient, SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import type { InferBytesTensor } from '@loglens/model-runtime';
import { ExperimentRouter } from '../experiments/experiment-router';
import { WorkerMetrics } from '../metrics/worker-metrics.service';
import type { LoadedVersion } from './loaded-version';
import { PoolPresence } from './pool-presence';
import { PredictProfiler } from './predict-profiler.service';
import { explainRows, keepTopAttributions } from './row-explainer';
import { ServingTable } from './serving-table.service';
import { WORKER_ENV, type WorkerEnv } from '../app/worker.env';

/** how often a serving worker (SHADOW_SCORING=auto) asks whether a shadow pool mirrors the predict traffic */
const POOL_PROBE_MS = 5_000;
const POOL_PROBE_TIMEOUT_MS = 2_000;
/** unanswered probes in a row after which a serving worker scores its shadow copies itself again (PoolPresence) */
const POOL_PROBE_MISSES = 3;
/**
 * A new shadow pool worker answers the probe at once but mirrors only after every serving worker has asked again, so
 * no copy is scored both by a serving worker and by the pool (a few copies in between go unscored: a shadow is a sample)
 */
const POOL_GRACE_MS = POOL_PROBE_MS + POOL_PROBE_TIMEOUT_MS;

/** Client mistakes and back-pressure say nothing about a version's health. */
const NOT_THE_MODELS_FAULT = new Set(['VALIDATION_FAILED', 'NOT_FOUND', 'OVERLOADED', 'TIMEOUT']);

export type PredictCallback = (error: Error | null, reply?: PredictReply) => void;

type Route = Parameters<ExperimentRouter['record']>[0];
type ShadowScorerDone = Parameters<ShadowScorer<PredictRow>>[2];

@Injectable()
export class PredictService implements OnModuleInit, OnApplicationShutdown {
  /**
   * Shadow copies wait here after the reply has gone and go to the shadow version in large batches (every 50 ms or at
   * 8,192 rows); when full, copies are dropped and counted on the shadow arm (`shadowDropped`), never waited for.
   */
  private readonly shadows = new ShadowQueue<PredictRow, Route>(
    (version, rows, done) => this.scoreShadow(version, rows, done),
    (item, outcome) => {
      this.router.record(item.context, item.version, { ...outcome, shadow: true });
      if (outcome.ok) this.router.agree(item.context, item.version, item.controlFlags ?? outcome.controlFlags ?? null, outcome.flags ?? null);
    },
    (item) => this.router.dropped(item.context, item.version),
  );

  constructor(
    private readonly table: ServingTable,
    private readonly metrics: WorkerMetrics,
    private readonly router: ExperimentRouter,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    private readonly profiler: PredictProfiler,
    private readonly health: HealthResponder,
    private readonly rpc: RpcClient,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
  ) {}

  /** whether a shadow pool mirrors the predict traffic (SHADOW_SCORING=auto: what the probes said) */
  private readonly pool = new PoolPresence(POOL_PROBE_MISSES);
  private probe: ReturnType<typeof setInterval> | undefined;
  /** in the shadow pool: copies are taken from this moment (performance.now()) on; set once the pool answers probes */
  private mirrorFrom = Number.POSITIVE_INFINITY;

  onModuleInit(): void {
    this.health.addDetails('shadowQueue', () => ({
      ...this.shadows.counters,
      pool: this.env.WORKER_POOL,
      ...(this.env.WORKER_POOL === 'shadow' ? { mirroring: performance.now() >= this.mirrorFrom } : { scoredByPool: this.poolMirrored() }),
    }));
    if (this.env.WORKER_POOL === 'serving' && this.env.SHADOW_SCORING === 'auto') {
      const ask = () =>
        void this.rpc.call(InferenceSubjects.shadowPool, {}, { timeoutMs: POOL_PROBE_TIMEOUT_MS }).then(
          () => this.pool.record(true),
          () => this.pool.record(false),
        );
      ask();
      this.probe = setInterval(ask, POOL_PROBE_MS);
      this.probe.unref?.();
    }
  }

  /** A serving worker leaves its shadow copies to the shadow pool when one mirrors the traffic. */
  private poolMirrored(): boolean {
    return this.env.WORKER_POOL === 'serving' && (this.env.SHADOW_SCORING === 'pool' || (this.env.SHADOW_SCORING === 'auto' && this.pool.mirrors));
  }

  /**
   * Queues the shadow copy of an answered request (its shadowed rows, with the control's flags for them), unless the
   * shadow pool takes its own copy of the request from NATS.
   */
  private offerShadow(route: Route, req: PredictRequest, reply: PredictReply, rowKeys?: ReadonlyArray<string | undefined>): void {
    if (this.poolMirrored()) return;
    const shadowed = this.shadowedRows(route, req, rowKeys);
    if (!shadowed) return;
    const flags = reply.isAnomaly;
    this.shadows.offer({ version: shadowed.version, rows: shadowed.pick(req.rows), controlFlags: flags ? shadowed.pick(flags) : null, context: route });
  }

  /**
   * Scores one shadow batch. In a serving worker: the shadow version's scores (the control's flags came with each
   * copy). In the shadow pool, which saw only the requests: the control's too, for the agreement.
   */
  private scoreShadow(version: string, rows: PredictRow[], done: ShadowScorerDone): void {
    // the pool saw only the requests: the control is the experiment's, looked up by the shadow version's model
    const control = this.env.WORKER_POOL === 'shadow' ? this.router.routeOf(parseVersionRef(version).model)?.experiment.control : undefined;
    if (!control) return this.predictPlain({ version, rows, profiled: true }, done);
    let shadow: PredictReply | undefined;
    let controlReply: PredictReply | undefined;
    let left = 2;
    let failed: Error | null = null;
    const settle = (e: Error | null) => {
      failed ??= e;
      if (--left > 0) return;
      if (failed || !shadow) return done(failed ?? new Error('no shadow reply'));
      done(null, { scores: shadow.scores, isAnomaly: shadow.isAnomaly, controlFlags: controlReply?.isAnomaly ?? null });
    };
    this.predictPlain({ version, rows, profiled: true }, (e, r) => ((shadow = r), settle(e)));
    // the control's flags are only compared: a failure here leaves the batch without agreement, not failed
    this.predictPlain({ version: control, rows, profiled: true }, (_e, r) => ((controlReply = r), settle(null)));
  }

  /**
   * In the shadow pool: called once it answers the serving workers' probes. It mirrors only a grace later, when every
   * serving worker has asked again and stopped queueing copies itself (counted from the first answer, not from the
   * start: a pool that loads its models for seconds would otherwise mirror before any serving worker knew of it).
   */
  answeringProbes(): void {
    this.mirrorFrom = Math.min(this.mirrorFrom, performance.now() + POOL_GRACE_MS);
  }

  /**
   * The shadow pool's copy of a predict request (delivered by NATS to the pool's queue group as well as to the
   * serving workers'; never answered): when its model's experiment shadows it (the same draw the serving workers
   * make), its rows are queued for the shadow version.
   */
  /** Whether the pool parses a mirrored request at all: once it mirrors, and when it may be a shadowed model's. */
  wantsCopy(raw: Uint8Array): boolean {
    return performance.now() >= this.mirrorFrom && this.router.mayBeShadowed(raw);
  }

  mirror(req: PredictRequest): void {
    if (performance.now() < this.mirrorFrom || req.version) return;
    const route = this.router.routeOf(req.model ?? this.table.onlyModel() ?? '');
    const shadowed = route ? this.shadowedRows(route, req) : null;
    if (route && shadowed) this.shadows.offer({ version: shadowed.version, rows: shadowed.pick(req.rows), controlFlags: null, context: route });
  }

  /**
   * The rows of a request its experiment shadows, and the shadow version: every row when the request's key is drawn
   * into the shadow share, or (with `rowKeys`) the rows whose own keys are; null when none is. `pick` takes those rows
   * (or the control's flags for them) out of a same-length list. The serving workers and the pool draw alike.
   * `rowKeys`: each row's routing key when the caller has them already (predictByRow).
   */
  private shadowedRows(route: Route, req: PredictRequest, rowKeys?: ReadonlyArray<string | undefined>): { version: string; pick: <T>(all: readonly T[]) => readonly T[] } | null {
    const version = this.router.shadowVersionOf(route);
    if (!version) return null;
    if (!req.rowKeys) return this.router.shadowOf(route, req.routeKey) ? { version, pick: (all) => all } : null;
    const keyOf = (i: number) => (rowKeys ? rowKeys[i] : this.router.rowKey(route, req.rowKeys?.[i], req.routeKey));
    const picked = req.rows.flatMap((_, i) => (this.router.shadowsRow(route, keyOf(i)) ? [i] : []));
    if (picked.length === 0) return null;
    return { version, pick: picked.length === req.rows.length ? (all) => all : (all) => picked.map((i) => all[i]) };
  }

  onApplicationShutdown(): void {
    if (this.probe) clearInterval(this.probe);
    this.shadows.close();
  }

  /**
   * A request for a model (not a pinned version) whose experiment runs goes to the arm its key hashes to (a pinned
   * version when it is a candidate) and is counted for that arm; a shadow copy, when the experiment asks for one, is
   * queued after the reply has gone (ShadowQueue), scored in a batch with others, and only counted.
   */
  predictWith(req: PredictRequest, done: PredictCallback): void {
    const model = req.version ? undefined : (req.model ?? this.table.onlyModel());
    const routed = model ? this.router.route(model, req.routeKey) : null;
    if (!model || !routed) return this.predictPlain(req.rowKeys ? { ...req, rowKeys: undefined } : req, done);
    if (req.rowKeys) return this.predictByRow(req, req.rowKeys, routed.route, done);
    const { ref, route } = routed;
    const started = performance.now();
    const control = ref === route.experiment.control;
    this.predictPlain(control ? req : { ...req, version: ref }, (e, reply) => {
      // every failure counts against its arm: routing is random (or by a key unrelated to the request's content), so
      // the callers' own mistakes fall on each arm in proportion to its weight, while a candidate that refuses what
      // the control accepts (another feature set, a broken graph) shows as the difference
      this.router.record(route, ref, { ok: !e, latencyMs: performance.now() - started, scores: reply?.scores, flags: reply?.isAnomaly });
      done(e, reply);
      if (reply) this.offerShadow(route, req, reply);
    });
  }

  /**
   * A request with one routing key per row (the agents' windows of many sources): the rows are split by the arm each
   * key hashes to, each part is scored by its arm and counted on it (one request per arm part, each row on its own
   * arm), and the parts are put back in order, with `modelVersions` naming each row's arm. A part that fails fails
   * the request (as one arm failing a whole request would), and is counted on its arm only.
   */
  private predictByRow(req: PredictRequest, rowKeys: NonNullable<PredictRequest['rowKeys']>, route: Route, done: PredictCallback): void {
    const keys = req.rows.map((_, i) => this.router.rowKey(route, rowKeys[i], req.routeKey));
    const parts = new Map<string, number[]>();
    keys.forEach((key, i) => {
      const ref = this.router.armOfRow(route, key);
      const part = parts.get(ref);
      if (part) part.push(i);
      else parts.set(ref, [i]);
    });
    const started = performance.now();
    const replies = new Map<string, PredictReply>();
    let left = parts.size;
    let failure: Error | null = null;
    for (const [ref, indexes] of parts) {
      const control = ref === route.experiment.control;
      const rows = parts.size === 1 ? req.rows : indexes.map((i) => req.rows[i]);
      const partReq: PredictRequest = { ...req, rows, rowKeys: undefined, ...(control ? {} : { version: ref }) };
      this.predictPlain(partReq, (e, reply) => {
        this.router.record(route, ref, { ok: !e, latencyMs: performance.now() - started, scores: reply?.scores, flags: reply?.isAnomaly });
        if (e) failure ??= e;
        else if (reply) replies.set(ref, reply);
        if (--left > 0) return;
        if (failure) return done(failure);
        const merged = mergeParts(req.rows.length, route.experiment.control, parts, replies);
        done(null, merged);
        this.offerShadow(route, req, merged, keys);
      });
    }
  }

  /**
   * Predict without a promise per request when the version is already served (the hot path: the responder answers
   * from `done`); otherwise the same through `resolve`, which may load a pinned version or ask the registry.
   */
  private predictPlain(req: PredictRequest, done: PredictCallback): void {
    const loaded = this.table.lookup(req.model, req.version);
    if (loaded) return this.predictOn(loaded, req, done);
    const attempt = (again: boolean): void => {
      this.table.resolve(req.model, req.version).then(
        // released while the lookup waited (a pinned alias moved, an eviction): resolve once more, checked and
        // acquired in the same turn, so the session cannot be closed in between
        (v) => (v.isRetiring && again ? attempt(false) : this.predictOn(v, req, done)),
        (e: Error) => done(e),
      );
    };
    attempt(true);
  }

  private predictOn(loaded: LoadedVersion, req: PredictRequest, done: PredictCallback): void {
    const started = performance.now();
    const { model, ref } = loaded.info;
    loaded.acquire();
    loaded.batcher.predictWith(req.rows, { timeoutMs: req.timeoutMs ?? undefined }, (outcome) => {
      loaded.release();
      if (outcome instanceof Error) {
        const code = outcome instanceof LogLensError ? outcome.code : 'INTERNAL';
        this.metrics.failure(model, ref, performance.now() - started, code);
        if (!NOT_THE_MODELS_FAULT.has(code)) this.table.noteOutcome(loaded, false);
        return done(outcome);
      }
      const { result, queueMs, computeMs, batchRequests } = outcome;
      this.metrics.success(model, ref, { rows: req.rows.length, latencyMs: performance.now() - started, queueMs, computeMs, batchRequests });
      this.table.noteOutcome(loaded, true);
      const threshold = loaded.info.threshold;
      const reply: PredictReply = {
        modelVersion: ref,
        scores: result.scores,
        // string score outputs (labels) have no order to compare with a threshold
        isAnomaly: threshold === null || !loaded.session.scoreIsNumeric ? null : result.scores.map((s) => s >= threshold),
        threshold,
        outputs: result.outputs,
        timings: { queueMs: round(queueMs), computeMs: round(computeMs) },
        worker: this.identity.instanceId,
      };
      this.profiler.record(loaded, req, reply.scores, reply.isAnomaly);
      if (!req.explain) return done(null, reply);
      // explained only after scoring, so the attributions explain the scores in this reply
      loaded.acquire();
      explainRows(loaded, req.rows).then(
        (explanations) => {
          loaded.release();
          done(null, { ...reply, explanations: keepTopAttributions(explanations, req.explainTop) });
        },
        (e: unknown) => {
          loaded.release();
          done(e instanceof LogLensError ? e : new LogLensError('INTERNAL', `${ref}: explanation failed: ${e instanceof Error ? e.message : String(e)}`));
        },
      );
    });
  }
}

/** Typed tensors straight to the session (KServe v2): no row mapping, no batching across callers. */
@Injectable()
export class InferService {
  constructor(
    private readonly table: ServingTable,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  async infer(req: InferRequest): Promise<InferReply> {
    const loaded = await this.table.resolve(req.model, req.version);
    return loaded.use(async (v) => {
      const started = performance.now();
      const outputs = await v.session.infer(req.inputs, req.outputs);
      const reply: InferReply = { modelVersion: v.info.ref, outputs, timings: { computeMs: round(performance.now() - started) }, worker: this.identity.instanceId };
      if (!req.explain) return reply;
      return { ...reply, explanations: await explainRows(v, inferRows(req, v.info.ref)) };
    });
  }
}

/** The same with tensors as bytes (`inference.infer-binary.v1`): no number arrays on either side of the session. */
@Injectable()
export class InferBytesService {
  constructor(
    private readonly table: ServingTable,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  async infer(req: InferBinaryRequest, inputs: InferBytesTensor[]): Promise<{ reply: InferBinaryReply; parts: Uint8Array[] }> {
    const loaded = await this.table.resolve(req.model, req.version);
    return loaded.use(async (v) => {
      const started = performance.now();
      const outputs = await v.session.inferBytes(inputs, req.outputs);
      return {
        reply: {
          modelVersion: v.info.ref,
          outputs: outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape, byteLength: o.bytes.byteLength })),
          timings: { computeMs: round(performance.now() - started) },
          worker: this.identity.instanceId,
        },
        parts: outputs.map((o) => o.bytes),
      };
    });
  }
}

/** The rows of an infer request's one [N, F] numeric input, for its explanations. */
function inferRows(req: InferRequest, ref: string): number[][] {
  const [input] = req.inputs;
  if (req.inputs.length !== 1 || input.shape.length !== 2) {
    throw new LogLensError('VALIDATION_FAILED', `${ref}: explain needs one [N, F] input tensor`);
  }
  const [n, f] = input.shape;
  const data = input.data.flat(Infinity) as unknown[];
  if (data.length !== n * f || !data.every((v) => typeof v === 'number')) {
    throw new LogLensError('VALIDATION_FAILED', `${ref}: explain needs ${n}×${f} numbers in input "${input.name}"`);
  }
  return Array.from({ length: n }, (_, i) => (data as number[]).slice(i * f, (i + 1) * f));
}

/**
 * The parts of a split request put back in row order: scores, flags (each by its own version's threshold), the
 * outputs whose first dimension is the rows (others are left out), explanations, and each row's version.
 */
function mergeParts(n: number, control: string, parts: Map<string, number[]>, replies: Map<string, PredictReply>): PredictReply {
  const [first] = replies.values();
  if (parts.size === 1) return { ...first, modelVersions: new Array<string>(n).fill(first.modelVersion) };
  const scores = new Array<number>(n);
  const modelVersions = new Array<string>(n);
  const flagged = [...replies.values()].some((r) => r.isAnomaly !== null);
  const isAnomaly = flagged ? new Array<boolean>(n).fill(false) : null;
  const explained = [...replies.values()].every((r) => r.explanations);
  const explanations = explained ? new Array<NonNullable<PredictReply['explanations']>[number]>(n) : undefined;
  const outputs: PredictReply['outputs'] = {};
  const names = Object.keys(first.outputs).filter((name) =>
    [...parts].every(([ref, idx]) => {
      const o = replies.get(ref)?.outputs[name];
      return o !== undefined && o.dims[0] === idx.length && o.data.length % Math.max(1, idx.length) === 0;
    }),
  );
  for (const name of names) {
    const width = first.outputs[name].data.length / Math.max(1, first.outputs[name].dims[0]);
    outputs[name] = { dims: [n, ...first.outputs[name].dims.slice(1)], data: new Array<number | string>(n * width) };
  }
  let queueMs = 0;
  let computeMs = 0;
  for (const [ref, idx] of parts) {
    const r = replies.get(ref);
    if (!r) continue;
    queueMs = Math.max(queueMs, r.timings.queueMs);
    computeMs = Math.max(computeMs, r.timings.computeMs);
    idx.forEach((row, k) => {
      scores[row] = r.scores[k];
      modelVersions[row] = r.modelVersion;
      if (isAnomaly) isAnomaly[row] = r.isAnomaly?.[k] ?? false;
      if (explanations && r.explanations) explanations[row] = r.explanations[k];
    });
    for (const name of names) {
      const o = r.outputs[name];
      const width = o.data.length / Math.max(1, idx.length);
      idx.forEach((row, k) => {
        for (let j = 0; j < width; j++) outputs[name].data[row * width + j] = o.data[k * width + j];
      });
    }
  }
  const controlReply = [...replies.values()].find((r) => r.modelVersion === control) ?? first;
  return {
    modelVersion: controlReply.modelVersion,
    scores,
    isAnomaly,
    threshold: controlReply.threshold,
    outputs,
    timings: { queueMs, computeMs },
    worker: first.worker,
    ...(explanations ? { explanations } : {}),
    modelVersions,
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
