import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  GetVersionRequest,
  LogLensError,
  RegistrySubjects,
  ServingStateRequest,
  VersionDeployedEvent,
  type ModelVersionDto,
  type ServingStateReply,
  type ServingVersionDto,
} from '@loglens/contracts';
import { EventBus, HealthResponder, RpcClient } from '@loglens/nest-common';
import { OnnxModelSession } from '@loglens/model-runtime';
import { ArtifactFetcher } from './artifact-fetcher';
import { LoadedVersion } from './loaded-version';
import type { WorkerEnv } from '../app/worker.env';

export const WORKER_ENV = Symbol('WORKER_ENV');

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
  /** serialises swaps per model so two quick deploys apply in order */
  private readonly swapChains = new Map<string, Promise<void>>();

  constructor(
    private readonly rpc: RpcClient,
    private readonly events: EventBus,
    private readonly health: HealthResponder,
    private readonly fetcher: ArtifactFetcher,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
  ) {}

  onModuleInit(): void {
    this.health.setDegraded('loading the serving state');
    this.health.addDetails('serving', () => Object.fromEntries([...this.serving].map(([m, v]) => [m, v.info.ref])));
    this.events.subscribe(RegistrySubjects.versionDeployed, VersionDeployedEvent, (e) => this.enqueueSwap(e.serving));
  }

  /** Runs before the worker joins the inference queue group: it answers nothing until it serves what the registry says. */
  async onApplicationBootstrap(): Promise<void> {
    const state = await this.waitForServingState();
    for (const info of state.serving) await this.enqueueSwap(info);
    this.health.setDegraded(null);
    this.logger.log(`serving ${state.serving.map((s) => s.ref).join(', ') || 'nothing yet'}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const all = [...this.serving.values(), ...(await Promise.allSettled(this.pinned.values())).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
    this.serving.clear();
    this.pinned.clear();
    await Promise.all(all.map((v) => v.retire()));
  }

  /** The loaded version for a request: a pinned version reference, a model's serving version, or the only model served. */
  async resolve(model: string | undefined, versionRef: string | undefined): Promise<LoadedVersion> {
    if (versionRef) {
      const [name] = versionRef.split('@');
      if (model && model !== name) throw new LogLensError('VALIDATION_FAILED', `version ${versionRef} does not belong to model "${model}"`);
      const current = this.serving.get(name);
      if (current && (current.info.ref === versionRef || !versionRef.includes('@'))) return current;
      return this.loadPinned(versionRef);
    }
    if (model) {
      const current = this.serving.get(model);
      if (!current) throw new LogLensError('NOT_FOUND', `model "${model}" has no serving version`);
      return current;
    }
    if (this.serving.size === 1) return [...this.serving.values()][0];
    throw new LogLensError(
      'VALIDATION_FAILED',
      this.serving.size === 0 ? 'no model is deployed yet' : `several models are served (${[...this.serving.keys()].join(', ')}): say which with "model"`,
    );
  }

  private enqueueSwap(info: ServingVersionDto): Promise<void> {
    const previous = this.swapChains.get(info.model) ?? Promise.resolve();
    const next = previous.then(() => this.swap(info)).catch((e: unknown) => {
      // the old version keeps serving: a broken artifact never takes the worker down
      this.logger.error(`could not load ${info.ref}; still serving ${this.serving.get(info.model)?.info.ref ?? 'nothing'}: ${(e as Error).message}`);
    });
    this.swapChains.set(info.model, next);
    return next;
  }

  private async swap(info: ServingVersionDto): Promise<void> {
    const old = this.serving.get(info.model);
    if (old?.info.ref === info.ref) return;
    const started = Date.now();
    const loaded = await this.load(info);
    this.serving.set(info.model, loaded);
    this.logger.log(`${info.model}: now serving ${info.ref} (was ${old?.info.ref ?? 'nothing'}; loaded in ${Date.now() - started} ms)`);
    if (old) await old.retire();
  }

  private async load(info: ServingVersionDto): Promise<LoadedVersion> {
    const bytes = await this.fetcher.fetch(info.sha256, info.sizeBytes);
    const session = await OnnxModelSession.create(
      bytes,
      { ref: info.ref, inputName: info.inputName, scoreOutput: info.scoreOutput, featureNames: info.featureNames },
      { intraOpNumThreads: this.env.INFERENCE_THREADS },
    );
    return new LoadedVersion(info, session);
  }

  private loadPinned(ref: string): Promise<LoadedVersion> {
    const cached = this.pinned.get(ref);
    if (cached) return cached;
    const loading = (async () => {
      const v = await this.rpc.call<ModelVersionDto>(RegistrySubjects.getVersion, { ref } satisfies GetVersionRequest, { retries: 1 });
      return this.load({
        model: v.model,
        ref: v.ref,
        version: v.version,
        sha256: v.sha256,
        sizeBytes: v.sizeBytes,
        inputName: v.inputName,
        scoreOutput: v.scoreOutput,
        featureNames: v.featureSchema?.features.map((f) => f.name) ?? null,
        threshold: v.threshold,
        deployedAt: v.createdAt,
      });
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
        return await this.rpc.call<ServingStateReply>(RegistrySubjects.servingState, {} satisfies ServingStateRequest, { timeoutMs: 3000 });
      } catch (e) {
        if (attempt % 5 === 1) this.logger.warn(`waiting for the registry: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
