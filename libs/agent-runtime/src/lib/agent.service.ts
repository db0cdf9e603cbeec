import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import {
  ANALYZE_MAX_RECORDS,
  agentConsumers,
  AgentSubjects,
  AnalyzeCancelEvent,
  checkAgentInstance,
  LogLensError,
  RegistrySubjects,
  SourceBindingEvent,
  VersionDeployedEvent,
  type AgentInstance,
  type AgentKind,
  type AnalyzeReply,
  type AnalyzeRequest,
  type FeatureSchemaDto,
  type LargeReply,
  type ListBindingsRequest,
  type LogRecordInput,
  type ModelVersionDto,
} from '@loglens/contracts';
import { EventBus, HealthResponder, INLINE_PAYLOAD_MAX, NATS_CONNECTION, PACK_MIN_CHARS, RpcClient, SERVICE_IDENTITY, packJson, putPayloadJson, takePayload, unpackJson, type ServiceIdentity } from '@loglens/nest-common';
import { RateMeter } from './rate-meter';
import { analyzeRecords } from './analyze';
import type { AnalysisPipeline, PipelineFactory } from './pipeline';
import { StreamAgent } from './stream-agent';
import { WindowScorer, type ExplainWindows } from './window-scorer';

export const AGENT_OPTIONS = Symbol('AGENT_OPTIONS');

export interface AgentOptions {
  kind: AgentKind;
  /** the default model: its serving version scores every source not bound to a model of its own (deploys are followed without a restart) */
  model: string;
  /**
   * builds a source's pipeline for the feature schema of the model scoring it (null while no version serves); `version`
   * is that model's serving version, for settings beyond the schema (e.g. a per-source model's window length)
   */
  pipeline: (schema: FeatureSchemaDto | null, source: string, state?: unknown, version?: ModelVersionDto | null) => AnalysisPipeline;
  /**
   * which instance of the kind this is (AGENT_INSTANCE_INDEX of AGENT_INSTANCES): it consumes the LOGS partitions
   * k ≡ index (mod count) (`agentConsumers`); default 0 of 1, the whole `logs.<kind>.>`
   */
  instance?: AgentInstance;
  /** false runs only the analyze API */
  consumeStream: boolean;
  maxInFlight: number;
  idleFlushMs: number;
  /** AGENT_MAX_SOURCES */
  maxSources?: number;
  ackWaitMs: number;
  /** AGENT_EXPLAIN: which windows are explained (default `anomalies`) */
  explain?: ExplainWindows;
  /** AGENT_DRIFT_BUCKET_MS: drift profile bucket length (default one minute); 0 turns drift profiling off */
  driftBucketMs?: number;
}

/** A model the agent scores with: its scorer and the serving version's schema. */
interface ModelInUse {
  scorer: WindowScorer;
  version: ModelVersionDto | null;
}

/**
 * One agent instance: the stream consumer and the analyze API over the same pipelines and models. Each source is
 * scored by the model bound to it (registry source bindings of this agent kind) while that model has a serving
 * version, and by the default model otherwise. Bindings and deploys arrive as broadcast events, so every instance
 * follows them without a restart.
 */
@Injectable()
export class AgentService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('agent');
  private readonly models = new Map<string, ModelInUse>();
  /** source → bound model name (this agent kind's bindings only) */
  private readonly bindings = new Map<string, string>();
  private stream?: StreamAgent;
  private bindingsLoaded = false;
  /** analyze requests being worked on, by the gateway's request id */
  private readonly analyzing = new Map<string, AbortController>();
  /** cancels that arrived before their request (it was still in the queue or fetching its payload): id → when */
  private readonly cancelledEarly = new Map<string, number>();
  private analyzeCancelled = 0;
  /** records analyzed by POST …/analyze in this process, counted when each request is answered */
  private readonly analyzedLines = new RateMeter();

  constructor(
    @Inject(AGENT_OPTIONS) private readonly options: AgentOptions,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly rpc: RpcClient,
    private readonly events: EventBus,
    private readonly health: HealthResponder,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {
    this.models.set(options.model, { scorer: this.newScorer(options.model), version: null });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.health.addDetails('model', () => ({ name: this.options.model, serving: this.defaultModel().version?.ref ?? null }));
    this.health.addDetails('bindings', () => Object.fromEntries([...this.bindings].map(([source, model]) => [source, this.models.get(model)?.version?.ref ?? `${model} (not serving)`])));
    await this.refresh(this.options.model).catch((e: Error) => this.logger.warn(`could not read model "${this.options.model}" yet: ${e.message}`));
    // every instance hears a cancel; the one working on the request stops
    this.events.subscribe(AgentSubjects.analyzeCancel, AnalyzeCancelEvent, (e) => this.cancelAnalyze(e.requestId));
    this.health.addDetails('analyze', () => ({
      inFlight: this.analyzing.size,
      cancelled: this.analyzeCancelled,
      linesPerSecond: this.analyzedLines.lastSeconds(),
    }));
    // events first, then the list: a binding made in between is seen by one or the other
    this.events.subscribe(RegistrySubjects.versionDeployed, VersionDeployedEvent, (e) => this.held(this.onDeployed(e)));
    this.events.subscribe(RegistrySubjects.sourceBound, SourceBindingEvent, (e) => this.held(this.onBinding(e)));
    this.events.subscribe(RegistrySubjects.sourceUnbound, SourceBindingEvent, (e) => this.held(this.onBinding(e)));
    await this.loadBindings();
    if (!this.options.consumeStream) return;
    const instance = this.options.instance ?? { index: 0, count: 1 };
    const wrong = checkAgentInstance(instance);
    if (wrong) throw new Error(wrong);
    const consumers = agentConsumers(this.options.kind, instance);
    this.stream = new StreamAgent(this.nc, {
      kind: this.options.kind,
      consumers,
      factory: this.factory(),
      scorer: this.defaultModel().scorer,
      scorerFor: (source) => this.modelFor(source).scorer,
      maxInFlight: this.options.maxInFlight,
      idleFlushMs: this.options.idleFlushMs,
      maxSources: this.options.maxSources,
      ackWaitMs: this.options.ackWaitMs,
      log: (line) => this.logger.warn(line),
      instanceIndex: instance.index,
      ...(this.options.driftBucketMs !== 0 ? { drift: { bucketMs: this.options.driftBucketMs ?? 60_000, producer: `${this.identity.service}:${this.identity.instanceId}` } } : {}),
    });
    await this.stream.start();
    // which instance of how many (AGENT_INSTANCE_INDEX / AGENT_INSTANCES): the partitions it consumes follow from it
    this.health.addDetails('stream', () => this.stream && { instance, ...this.stream.stats() });
    const ref = this.defaultModel().version?.ref ?? 'not deployed yet';
    const reads = consumers.map((c) => `${c.filterSubject} (durable ${c.durable})`).join(', ');
    this.logger.log(`instance ${instance.index} of ${instance.count} consuming ${reads}, scoring with "${this.options.model}" (${ref}) and ${this.bindings.size} bound source(s)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stream?.stop();
  }

  async analyze(req: AnalyzeRequest): Promise<AnalyzeReply | LargeReply> {
    const id = req.requestId;
    if (id === undefined) return this.analyzeNow(req);
    const abort = new AbortController();
    if (this.cancelledEarly.delete(id)) abort.abort();
    this.analyzing.set(id, abort);
    try {
      if (abort.signal.aborted) throw new LogLensError('CANCELLED', 'the analyze request was cancelled before it started: its caller went away');
      return await this.analyzeNow(req, abort.signal);
    } catch (e) {
      if (e instanceof LogLensError && e.code === 'CANCELLED') {
        this.analyzeCancelled++;
        this.logger.log(`analyze ${id} stopped: its caller went away`);
      }
      throw e;
    } finally {
      this.analyzing.delete(id);
    }
  }

  /** Stops the analyze request `requestId` if this instance runs it; else remembers it for a minute (it may come next). */
  cancelAnalyze(requestId: string, now = Date.now()): void {
    const running = this.analyzing.get(requestId);
    if (running) return running.abort();
    for (const [id, at] of this.cancelledEarly) if (now - at > 60_000 || this.cancelledEarly.size > 10_000) this.cancelledEarly.delete(id);
    this.cancelledEarly.set(requestId, now);
  }

  private async analyzeNow(req: AnalyzeRequest, signal?: AbortSignal): Promise<AnalyzeReply | LargeReply> {
    const records = req.recordsPacked !== undefined ? await unpackRecords(req.recordsPacked) : req.payloadObject ? (await takePayload<{ records: LogRecordInput[] }>(this.nc, req.payloadObject)).records : (req.records ?? []);
    if (!this.defaultModel().version) await this.refresh(this.options.model).catch(() => undefined);
    if (!this.bindingsLoaded) await this.loadBindings();
    // one request, one model: the one scoring the request's source on the stream
    const source = req.source ?? 'analyze';
    const model = this.modelFor(source);
    const reply = await analyzeRecords(records, (s, state) => this.options.pipeline(model.version?.featureSchema ?? null, s, state, model.version), model.scorer, {
      kind: this.options.kind,
      source,
      stateOf: (s) => this.stream?.stateOf(s),
      signal,
    });
    this.analyzedLines.add(records.length);
    // one JSON text of the reply: measured, packed or stored from it
    const json = JSON.stringify(reply);
    if (json.length <= PACK_MIN_CHARS || (!req.packedReply && Buffer.byteLength(json) <= INLINE_PAYLOAD_MAX)) return reply;
    if (req.packedReply) {
      // gzip when the caller asks for it (it hands the bytes on to an HTTP client as they are), Brotli when gzip's
      // larger result would not fit one message
      if (req.packedReplyEncoding === 'gzip') {
        const packed = await packJson(json, 'gzip');
        if (packed.length <= INLINE_PAYLOAD_MAX) return { packed, encoding: 'gzip' };
      }
      const packed = await packJson(json);
      if (packed.length <= INLINE_PAYLOAD_MAX) return { packed };
    }
    return { payloadObject: await putPayloadJson(this.nc, json) };
  }

  /** The model scoring a source: its bound model while that serves, else the default. */
  private modelFor(source: string): ModelInUse {
    const bound = this.bindings.get(source);
    const model = bound ? this.models.get(bound) : undefined;
    return model?.version ? model : this.defaultModel();
  }

  private defaultModel(): ModelInUse {
    return this.models.get(this.options.model) as ModelInUse;
  }

  private factory(): PipelineFactory {
    return (source, state) => {
      const { version } = this.modelFor(source);
      return this.options.pipeline(version?.featureSchema ?? null, source, state, version);
    };
  }

  /** The stream waits for a change being applied before it windows more records (see StreamAgent.holdUntil). */
  private held(change: Promise<void>): Promise<void> {
    this.stream?.holdUntil(change);
    return change;
  }

  private async onDeployed(e: VersionDeployedEvent): Promise<void> {
    if (!this.models.has(e.model)) return;
    await this.refresh(e.model);
    if (e.model === this.options.model) {
      // a deploy may change the feature schema: new windows follow it
      this.stream?.replaceFactory(this.factory());
    } else {
      this.stream?.rebuild(this.sourcesBoundTo(e.model));
    }
  }

  private async onBinding(e: SourceBindingEvent): Promise<void> {
    const mine = e.binding?.agent === this.options.kind ? e.binding : null;
    const was = this.bindings.get(e.source);
    if (mine) {
      if (!this.models.has(mine.model)) this.models.set(mine.model, { scorer: this.newScorer(mine.model), version: null });
      await this.refresh(mine.model).catch((err: Error) => {
        this.logger.warn(`could not read model "${mine.model}" (${err.message}): "${this.options.model}" scores ${e.source} until it can`);
        this.retryRefresh(mine.model);
      });
      this.bindings.set(e.source, mine.model);
      // a deploy event names the model only once: if it slipped past (it may arrive before the binding), look again
      if (!this.models.get(mine.model)?.version) this.retryRefresh(mine.model);
    } else {
      this.bindings.delete(e.source);
    }
    if (was === mine?.model) return;
    this.logger.log(`source ${e.source}: scored by "${mine?.model ?? this.options.model}"${mine && !this.models.get(mine.model)?.version ? ` (not serving yet: "${this.options.model}" until it is deployed)` : ''}`);
    this.stream?.rebuild([e.source]);
  }

  /** This agent kind's bindings, retried in the background while the registry is not answering yet. */
  private async loadBindings(): Promise<void> {
    try {
      const req: ListBindingsRequest = { agent: this.options.kind };
      const reply = await this.rpc.call(RegistrySubjects.listBindings, req, { timeoutMs: 5000, retries: 2 });
      for (const b of reply.bindings) {
        if (!this.models.has(b.model)) this.models.set(b.model, { scorer: this.newScorer(b.model), version: null });
        await this.refresh(b.model).catch(() => undefined);
        const was = this.bindings.get(b.source);
        this.bindings.set(b.source, b.model);
        if (was !== b.model) this.stream?.rebuild([b.source]);
      }
      this.bindingsLoaded = true;
    } catch (e) {
      this.logger.warn(`could not read the source bindings yet (${(e as Error).message}); retrying`);
      setTimeout(() => void this.loadBindings(), 5000).unref();
    }
  }

  /** Reads a bound model again until the registry answers, then rebuilds its sources' pipelines. */
  private retryRefresh(model: string, attempt = 1): void {
    setTimeout(() => {
      this.refresh(model)
        .then(() => {
          if (this.models.get(model)?.version) {
            this.logger.log(`model "${model}" serves ${this.models.get(model)?.version?.ref}: it scores ${this.sourcesBoundTo(model).join(', ')}`);
            this.stream?.rebuild(this.sourcesBoundTo(model));
          } else if (attempt < 10) this.retryRefresh(model, attempt + 1);
        })
        .catch(() => (attempt < 60 ? this.retryRefresh(model, attempt + 1) : this.logger.warn(`gave up reading model "${model}"`)));
    }, 1000).unref();
  }

  private sourcesBoundTo(model: string): string[] {
    return [...this.bindings].filter(([, m]) => m === model).map(([s]) => s);
  }

  private async refresh(model: string): Promise<void> {
    const m = this.models.get(model);
    if (!m) return;
    m.version = await m.scorer.servingVersion();
  }

  private newScorer(model: string): WindowScorer {
    return new WindowScorer(this.rpc, model, (line) => this.logger.warn(line), { templates: this.options.kind === 'base', explain: this.options.explain ?? 'anomalies' });
  }
}

/** The records of a packed analyze request, checked as AnalyzeRequest checks `records`. */
async function unpackRecords(packed: string): Promise<LogRecordInput[]> {
  let records: unknown;
  try {
    records = JSON.parse((await unpackJson(packed)).toString('utf8'));
  } catch (e) {
    throw new LogLensError('VALIDATION_FAILED', `invalid AnalyzeRequest: recordsPacked: ${(e as Error).message}`);
  }
  if (!Array.isArray(records)) throw new LogLensError('VALIDATION_FAILED', 'invalid AnalyzeRequest: recordsPacked must hold an array');
  if (records.length === 0) throw new LogLensError('VALIDATION_FAILED', 'invalid AnalyzeRequest: records must not be empty');
  if (records.length > ANALYZE_MAX_RECORDS) throw new LogLensError('VALIDATION_FAILED', `invalid AnalyzeRequest: at most ${ANALYZE_MAX_RECORDS} records per request`);
  return records as LogRecordInput[];
}

/**
 * The window length a version was trained with (per-source models choose their own): `metadata.windowMs`,
 * `metadata.window` as a number or `{ ms | sizeMs | windowMs }`, or the training summary's `windowMs`.
 */
export function windowMsOf(version: ModelVersionDto | null | undefined): number | undefined {
  const md = version?.metadata ?? {};
  const ok = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const window = md['window'];
  const fromWindow = typeof window === 'object' && window !== null ? (window as Record<string, unknown>) : {};
  const summary = typeof md['summary'] === 'object' && md['summary'] !== null ? (md['summary'] as Record<string, unknown>) : {};
  return ok(md['windowMs']) ?? ok(window) ?? ok(fromWindow['ms']) ?? ok(fromWindow['sizeMs']) ?? ok(fromWindow['windowMs']) ?? ok(summary['windowMs']);
}
