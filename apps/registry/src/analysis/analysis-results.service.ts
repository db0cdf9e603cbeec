import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AckPolicy, DeliverPolicy, nanos, type NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import { AnalysisSubjects, JetStreamNames, REGISTRY_RESULTS_DURABLE, type ListResultsRequest, type WindowResultDto } from '@loglens/contracts';
import { NATS_CONNECTION, ensureAnalysisInfrastructure } from '@loglens/nest-common';
import { AnalysisResultEntity } from './analysis-result.entity';

const DURABLE = REGISTRY_RESULTS_DURABLE;

/**
 * Stores the agents' window results from the ANALYSIS stream (durable consumer shared by every registry instance),
 * once per window id, and answers queries over them.
 */
@Injectable()
export class AnalysisResultsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AnalysisResultsService.name);
  private running = false;
  private loop?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureAnalysisInfrastructure(this.nc);
    const jsm = await this.nc.jetstreamManager();
    try {
      await jsm.consumers.info(JetStreamNames.analysis, DURABLE);
    } catch {
      await jsm.consumers
        .add(JetStreamNames.analysis, {
          durable_name: DURABLE,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: AnalysisSubjects.allResults,
          ack_wait: nanos(30_000),
          max_ack_pending: 5000,
        })
        .catch((e: Error) => {
          if (!/already in use|exists/i.test(e.message)) throw e;
        });
    }
    this.running = true;
    this.loop = this.consume();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  async list(req: ListResultsRequest): Promise<WindowResultDto[]> {
    const qb = this.ds.getRepository(AnalysisResultEntity).createQueryBuilder('r').orderBy('r.window_start', 'DESC').addOrderBy('r.id').limit(req.limit ?? 200);
    if (req.source) qb.andWhere('r.source = :source', { source: req.source });
    if (req.agent) qb.andWhere('r.agent = :agent', { agent: req.agent });
    if (req.from) qb.andWhere('r.window_end >= :from', { from: req.from });
    if (req.to) qb.andWhere('r.window_start <= :to', { to: req.to });
    if (req.anomalous !== undefined) qb.andWhere('r.is_anomaly = :a', { a: req.anomalous });
    return (await qb.getMany()).map((r) => r.result);
  }

  private async consume(): Promise<void> {
    const consumer = await this.nc.jetstream().consumers.get(JetStreamNames.analysis, DURABLE);
    while (this.running) {
      try {
        const batch = await consumer.fetch({ max_messages: 500, expires: 1000 });
        const msgs = [];
        for await (const m of batch) msgs.push(m);
        if (msgs.length === 0) continue;
        const rows: AnalysisResultEntity[] = [];
        for (const m of msgs) {
          try {
            rows.push(toEntity(JSON.parse(new TextDecoder().decode(m.data)) as WindowResultDto));
          } catch (e) {
            this.logger.warn(`skipped an unreadable result (seq ${m.seq}): ${(e as Error).message}`);
          }
        }
        // a window already stored (an agent restarted and republished it) is kept as first stored
        if (rows.length) await this.ds.createQueryBuilder().insert().into(AnalysisResultEntity).values(rows).orIgnore().execute();
        for (const m of msgs) m.ack();
      } catch (e) {
        if (this.running) this.logger.error(`storing results failed, retrying: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}

function toEntity(r: WindowResultDto): AnalysisResultEntity {
  const e = new AnalysisResultEntity();
  e.id = r.id;
  e.agent = r.agent;
  e.source = r.source.slice(0, 64);
  e.windowKey = r.key.slice(0, 256);
  e.windowStart = new Date(r.start);
  e.windowEnd = new Date(r.end);
  e.recordCount = r.recordCount;
  e.anomalyScore = r.anomalyScore;
  e.isAnomaly = r.isAnomaly;
  e.modelVersion = r.modelVersion;
  e.result = r;
  return e;
}
