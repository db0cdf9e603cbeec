import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import {
  agentDurable,
  RegistrySubjects,
  VersionDeployedEvent,
  type AgentKind,
  type AnalyzeReply,
  type AnalyzeRequest,
  type FeatureSchemaDto,
  type LargeReply,
  type LogRecordInput,
} from '@loglens/contracts';
import { EventBus, HealthResponder, INLINE_PAYLOAD_MAX, NATS_CONNECTION, RpcClient, encodedSize, putPayload, takePayload } from '@loglens/nest-common';
import { analyzeRecords } from './analyze';
import type { AnalysisPipeline, PipelineFactory } from './pipeline';
import { StreamAgent } from './stream-agent';
import { WindowScorer } from './window-scorer';

export const AGENT_OPTIONS = Symbol('AGENT_OPTIONS');

export interface AgentOptions {
  kind: AgentKind;
  /** the model whose serving version scores this agent's windows (deploys are followed without a restart) */
  model: string;
  /** builds a source's pipeline for the model's feature schema (null while no version serves) */
  pipeline: (schema: FeatureSchemaDto | null, source: string, state?: unknown) => AnalysisPipeline;
  /** JetStream subjects this agent consumes, e.g. `logs.wifi.>` */
  filterSubject: string;
  /** false runs only the analyze API */
  consumeStream: boolean;
  maxInFlight: number;
  idleFlushMs: number;
  ackWaitMs: number;
}

/** One agent instance: the stream consumer and the analyze API over the same pipeline and model. */
@Injectable()
export class AgentService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('agent');
  private readonly scorer: WindowScorer;
  private stream?: StreamAgent;
  private schema: FeatureSchemaDto | null = null;
  private servingRef: string | null = null;

  constructor(
    @Inject(AGENT_OPTIONS) private readonly options: AgentOptions,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    rpc: RpcClient,
    private readonly events: EventBus,
    private readonly health: HealthResponder,
  ) {
    this.scorer = new WindowScorer(rpc, options.model, (line) => this.logger.warn(line));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.health.addDetails('model', () => ({ name: this.options.model, serving: this.servingRef }));
    await this.refreshSchema().catch((e: Error) => this.logger.warn(`could not read model "${this.options.model}" yet: ${e.message}`));
    // a deploy may change the feature schema: new windows follow it
    this.events.subscribe(RegistrySubjects.versionDeployed, VersionDeployedEvent, async (e) => {
      if (e.model !== this.options.model) return;
      await this.refreshSchema();
      this.stream?.replaceFactory(this.factory());
    });
    if (!this.options.consumeStream) return;
    this.stream = new StreamAgent(this.nc, {
      kind: this.options.kind,
      filterSubject: this.options.filterSubject,
      durable: agentDurable(this.options.kind),
      factory: this.factory(),
      scorer: this.scorer,
      maxInFlight: this.options.maxInFlight,
      idleFlushMs: this.options.idleFlushMs,
      ackWaitMs: this.options.ackWaitMs,
      log: (line) => this.logger.warn(line),
    });
    await this.stream.start();
    this.health.addDetails('stream', () => this.stream?.stats());
    this.logger.log(`consuming ${this.options.filterSubject} (durable ${agentDurable(this.options.kind)}), scoring with "${this.options.model}" (${this.servingRef ?? 'not deployed yet'})`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stream?.stop();
  }

  async analyze(req: AnalyzeRequest): Promise<AnalyzeReply | LargeReply> {
    const records = req.payloadObject ? (await takePayload<{ records: LogRecordInput[] }>(this.nc, req.payloadObject)).records : (req.records ?? []);
    if (!this.schema) await this.refreshSchema().catch(() => undefined);
    const reply = await analyzeRecords(records, this.factory(), this.scorer, {
      kind: this.options.kind,
      source: req.source ?? 'analyze',
      stateOf: (source) => this.stream?.stateOf(source),
    });
    return encodedSize(reply) > INLINE_PAYLOAD_MAX ? { payloadObject: await putPayload(this.nc, reply) } : reply;
  }

  private factory(): PipelineFactory {
    const schema = this.schema;
    return (source, state) => this.options.pipeline(schema, source, state);
  }

  private async refreshSchema(): Promise<void> {
    const v = await this.scorer.servingVersion();
    this.schema = v?.featureSchema ?? null;
    this.servingRef = v?.ref ?? null;
  }
}
