import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  FallbackRequest,
  LogLensError,
  RegistrySubjects,
  ServingInfoRequest,
  ServingStateRequest,
  VersionDeployedEvent,
  VersionLifecycleEvent,
  type ServingStateReply,
  type ServingVersionDto,
} from '@loglens/contracts';
import { EventBus, HealthResponder, RpcClient, SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import { OnnxModelSession } from '@loglens/model-runtime';
import { ExperimentRouter } from '../experiments/experiment-router';
import { WorkerMetrics } from '../metrics/worker-metrics.service';
import { ArtifactFetcher } from './artifact-fetcher';
import { LoadedVersion } from './loaded-version';
import { WORKER_ENV, type WorkerEnv } from '../app/worker.env';

const RECONCILE_EVERY_MS = 15_000;

/**
 * What this worker serves: the serving version of every model, plus a few pinned versions loaded on demand.
 * A deploy swaps the model's entry in one assignment after the new session is warm; the old one keeps
 * answering until then and is released once its in-flight requests finish.
 */
@Injectable()
export class ServingTable implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ServingTable.name);
  private readonly serving = new Map<string, LoadedVersion>();
  private readonly pinned = new Map<string, Promise<LoadedVersion>>();
  /** versions an operator asked to keep warm (load) until they are unloaded or start serving */
  private readonly warm = new Map<string, Promise<LoadedVersion>>();
  /** versions just swapped in by a deploy: their first requests decide whether they stay (error-rate fallback) */
  private readonly probation = new Map<LoadedVersion, { seen: number; errors: number }>();
  /** serialises swaps per model so two quick deploys apply in order */
  private readonly swapChains = new Map<string, Promise<void>>();

  constructor(
    private readonly rpc: RpcClient,
    private readonly events: EventBus,
    private readonly health: HealthResponder,
    private readonly fetcher: ArtifactFetcher,
    private readonly metrics: WorkerMetrics,
    private readonly router: ExperimentRouter,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  onModuleInit(): void {
    this.health.setDegraded('loading the serving state');
    this.health.addDetails('serving', () => Object.fromEntries([...this.serving].map(([m, v]) => [m, v.info.ref])));
    this.events.subscribe(RegistrySubjects.versionDeployed, VersionDeployedEvent, (e) => this.enqueueSwap(e.serving));
    this.events.subscribe(RegistrySubjects.versionLoadRequested, VersionLifecycleEvent, (e) => this.keepWarm(e));
    this.events.subscribe(RegistrySubjects.versionUnloadRequested, VersionLifecycleEvent, (e) => this.release(this.warm, e.ref));
    this.events.subscribe(RegistrySubjects.versionArchived, VersionLifecycleEvent, (e) => this.release(this.pinned, e.ref));
    // pinned entries are keyed by the reference asked for: an alias or @latest that moves must be resolved again
    this.events.subscribe(RegistrySubjects.aliasChanged, VersionLifecycleEvent, (e) => {
      const alias = e.detail?.['alias'];
      if (typeof alias === 'string') this.release(this.pinned, `${e.model}@${alias}`);
    });
    this.events.subscribe(RegistrySubjects.versionRegistered, VersionLifecycleEvent, (e) => this.release(this.pinned, `${e.model}@latest`));
    this.health.addDetails('warm', () => [...this.warm.keys()]);
    // an experiment's candidates are pinned versions: load them before the first request is routed to one
    this.router.onCandidates = (refs) => {
      for (const ref of refs) void this.loadPinned(ref).catch((e: unknown) => this.logger.error(`could not load candidate ${ref}: ${(e as Error).message}`));
    };
    this.metrics.attach({
      loadedVersions: () => [...[...this.serving.values()].map((v) => v.info.ref), ...this.warm.keys(), ...this.pinned.keys()],
      queueDepth: () => [...this.serving.values()].reduce((n, v) => n + v.batcher.stats().queueDepth, 0),
    });
  }

  /**
   * Counts a served request of a version on probation. When the share of failures over its first
   * FALLBACK_WINDOW requests exceeds FALLBACK_MAX_ERROR_RATE, the registry is asked to serve the previous one.
   */
  noteOutcome(v: LoadedVersion, ok: boolean): void {
    const p = this.probation.get(v);
    if (!p) return;
    p.seen++;
    if (!ok) p.errors++;
    if (p.seen < this.env.FALLBACK_WINDOW) return;
    this.probation.delete(v);
    const rate = p.errors / p.seen;
    if (rate > this.env.FALLBACK_MAX_ERROR_RATE) {
      const reason = `${v.info.ref} failed ${p.errors} of its first ${p.seen} requests in worker ${this.identity.instanceId} (limit ${Math.round(this.env.FALLBACK_MAX_ERROR_RATE * 100)}%)`;
      this.logger.error(reason);
      void this.reportFallback(v.info.ref, reason);
    }
  }

  private markReady!: () => void;
  /** Resolves once the worker serves what the registry says; nothing joins the inference queue group before. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  async onApplicationBootstrap(): Promise<void> {
    const state = await this.waitForServingState();
    for (const info of state.serving) await this.enqueueSwap(info);
    this.router.replaceAll(state.experiments ?? []);
    this.health.setDegraded(null);
    this.markReady();
    this.logger.log(`serving ${state.serving.map((s) => s.ref).join(', ') || 'nothing yet'}`);
    // events can be missed (a reconnect, a load that failed on a transient error): compare with the registry now and then
    this.reconcileTimer = setInterval(() => void this.reconcile().catch(() => undefined), RECONCILE_EVERY_MS);
    this.reconcileTimer.unref();
  }

  private reconcileTimer?: NodeJS.Timeout;
  private lastReconcile = 0;

  /** Serves what the registry says serves, for every model whose serving version differs here. */
  private async reconcile(): Promise<void> {
    this.lastReconcile = Date.now();
    const state = await this.rpc.call(RegistrySubjects.servingState, {} satisfies ServingStateRequest, { timeoutMs: 5000 });
    this.router.replaceAll(state.experiments ?? []);
    await Promise.all(state.serving.filter((s) => this.serving.get(s.model)?.info.ref !== s.ref).map((s) => this.enqueueSwap(s)));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    const cached = await Promise.allSettled([...this.pinned.values(), ...this.warm.values()]);
    const all = [...this.serving.values(), ...cached.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
    this.serving.clear();
    this.pinned.clear();
    this.warm.clear();
    await Promise.all(all.map((v) => v.retire()));
  }

  /** The loaded version for a request: a pinned version reference, a model's serving version, or the only model served. */
  async resolve(model: string | undefined, versionRef: string | undefined): Promise<LoadedVersion> {
    return this.lookup(model, versionRef) ?? this.resolveSlowly(model, versionRef);
  }

  /**
   * `resolve` for what is already served, without a promise (the predict hot path): the serving version of the named
   * model, a version reference to it, or the only model served. Anything else (a pinned or warm version, a model
   * this worker does not serve yet, a mismatch to report) is undefined: `resolve` handles it.
   */
  lookup(model: string | undefined, versionRef: string | undefined): LoadedVersion | undefined {
    if (versionRef) {
      const at = versionRef.indexOf('@');
      const name = at < 0 ? versionRef : versionRef.slice(0, at);
      if (model && model !== name) return undefined;
      const current = this.serving.get(name);
      return current && (at < 0 || current.info.ref === versionRef) ? current : undefined;
    }
    if (model) return this.serving.get(model);
    return this.serving.size === 1 ? this.serving.values().next().value : undefined;
  }

  /** The model when exactly one is served (a request may leave `model` out then). */
  onlyModel(): string | undefined {
    return this.serving.size === 1 ? this.serving.keys().next().value : undefined;
  }

  private async resolveSlowly(model: string | undefined, versionRef: string | undefined): Promise<LoadedVersion> {
    if (versionRef) {
      const [name] = versionRef.split('@');
      if (model && model !== name) throw new LogLensError('VALIDATION_FAILED', `version ${versionRef} does not belong to model "${model}"`);
      return this.warm.get(versionRef) ?? this.loadPinned(versionRef);
    }
    if (model) {
      // maybe a deploy this worker has not applied yet: ask the registry once before saying no (rate-limited)
      if (Date.now() - this.lastReconcile > 2000) await this.reconcile().catch(() => undefined);
      const current = this.serving.get(model);
      if (!current) throw new LogLensError('NOT_FOUND', `model "${model}" has no serving version`);
      return current;
    }
    throw new LogLensError(
      'VALIDATION_FAILED',
      this.serving.size === 0 ? 'no model is deployed yet' : `several models are served (${[...this.serving.keys()].join(', ')}): say which with "model"`,
    );
  }

  private enqueueSwap(info: ServingVersionDto): Promise<void> {
    const previous = this.swapChains.get(info.model) ?? Promise.resolve();
    const next = previous.then(() => this.swap(info)).catch((e: unknown) => {
      // the old version keeps serving: a broken artifact never takes the worker down
      const reason = `could not load ${info.ref} in worker ${this.identity.instanceId}: ${(e as Error).message}`;
      this.logger.error(`${reason}; still serving ${this.serving.get(info.model)?.info.ref ?? 'nothing'}`);
      // a registry that did not answer in time says nothing about the version: the next reconcile retries it
      const transient = e instanceof LogLensError && (e.code === 'TIMEOUT' || e.code === 'UNAVAILABLE');
      if (!transient) void this.reportFallback(info.ref, reason);
    });
    this.swapChains.set(info.model, next);
    return next;
  }

  private async swap(info: ServingVersionDto): Promise<void> {
    const old = this.serving.get(info.model);
    if (old?.info.ref === info.ref) return;
    const started = Date.now();
    // a version warmed by a load request swaps in at once
    const warmed = this.warm.get(info.ref);
    this.warm.delete(info.ref);
    const loaded = warmed ? await warmed : await this.load(info);
    this.serving.set(info.model, loaded);
    if (old) this.probation.set(loaded, { seen: 0, errors: 0 });
    this.logger.log(`${info.model}: now serving ${info.ref} (was ${old?.info.ref ?? 'nothing'}; loaded in ${Date.now() - started} ms)`);
    if (old) {
      this.probation.delete(old);
      await old.retire();
    }
  }

  private async load(info: ServingVersionDto): Promise<LoadedVersion> {
    const bytes = await this.fetcher.fetch(info.sha256, info.sizeBytes);
    const session = await OnnxModelSession.create(
      bytes,
      { ref: info.ref, inputName: info.inputName, scoreOutput: info.scoreOutput, featureNames: info.featureNames, allowMissing: info.allowMissing },
      { intraOpNumThreads: this.env.INFERENCE_THREADS, logSeverityLevel: 4 },
    );
    // warm-up: a version reports ready only after one run (first runs allocate; a broken graph fails here, not on a user)
    const warm = await session.smokeTest({ width: info.width ?? info.featureNames?.length ?? undefined });
    if (!warm.ok) {
      await session.release();
      throw new LogLensError('INVALID_MODEL', `warm-up run failed: ${warm.error}`);
    }
    return new LoadedVersion(info, session, this.batchingFor(info), () => this.fetcher.fetch(info.sha256, info.sizeBytes));
  }

  /** The worker's batching defaults, overridden by a model's metadata.batching when the registry sends it. */
  private batchingFor(info: ServingVersionDto): { maxBatchSize: number; maxQueueDelayMs: number; maxQueueSize: number } {
    const own = info.batching ?? {};
    return {
      maxBatchSize: own.maxBatchSize ?? this.env.BATCH_MAX_SIZE,
      maxQueueDelayMs: own.maxQueueDelayMs ?? this.env.BATCH_MAX_QUEUE_DELAY_MS,
      maxQueueSize: this.env.BATCH_MAX_QUEUE,
    };
  }

  private keepWarm(e: VersionLifecycleEvent): void {
    if (!e.info || this.warm.has(e.ref) || this.serving.get(e.model)?.info.ref === e.ref) return;
    const loading = this.load(e.info);
    this.warm.set(e.ref, loading);
    loading.then(
      () => this.logger.log(`${e.ref} is warm (not serving)`),
      (err: unknown) => {
        this.warm.delete(e.ref);
        this.logger.error(`could not warm ${e.ref}: ${(err as Error).message}`);
      },
    );
  }

  private release(cache: Map<string, Promise<LoadedVersion>>, ref: string): void {
    const entry = cache.get(ref);
    if (!entry) return;
    cache.delete(ref);
    void entry.then((v) => v.retire()).catch(() => undefined);
    this.logger.log(`released ${ref}`);
  }

  /** Tells the registry a deployed version cannot serve here; it serves the previous one again (idempotent). */
  private async reportFallback(failedRef: string, reason: string): Promise<void> {
    const req: FallbackRequest = { failedRef, reason: reason.slice(0, 2000), worker: this.identity.instanceId };
    try {
      await this.rpc.call(RegistrySubjects.fallback, req, { timeoutMs: 10_000, retries: 1 });
    } catch (e) {
      this.logger.error(`could not report the fallback of ${failedRef}: ${(e as Error).message}`);
    }
  }

  private loadPinned(ref: string): Promise<LoadedVersion> {
    const cached = this.pinned.get(ref);
    if (cached) return cached;
    const loading = (async () => {
      const info = await this.rpc.call(RegistrySubjects.servingInfo, { ref } satisfies ServingInfoRequest, { retries: 1 });
      return this.load(info);
    })();
    this.pinned.set(ref, loading);
    loading.catch(() => this.pinned.delete(ref));
    while (this.pinned.size > this.env.PINNED_CACHE_SIZE) {
      const [oldest, evicted] = this.pinned.entries().next().value as [string, Promise<LoadedVersion>];
      this.pinned.delete(oldest);
      void evicted.then((v) => v.retire()).catch(() => undefined);
    }
    return loading;
  }

  private async waitForServingState(): Promise<ServingStateReply> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.rpc.call(RegistrySubjects.servingState, {} satisfies ServingStateRequest, { timeoutMs: 3000 });
      } catch (e) {
        if (attempt % 5 === 1) this.logger.warn(`waiting for the registry: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
