import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AckPolicy, DeliverPolicy, nanos, type JsMsg, type NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import { AnalysisSubjects, DeadLetterSubjects, JetStreamNames, MAX_DELIVERIES, REGISTRY_RESULTS_DURABLE, checkWindowResult, type ListResultsRequest, type WindowResultDto } from '@loglens/contracts';
import { NATS_CONNECTION, deadLetter, ensureAnalysisInfrastructure } from '@loglens/nest-common';
import { AnalysisResultEntity } from './analysis-result.entity';
import { contextOf, inSpan, SpanKind, tracingEnabled } from '@loglens/tracing';

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
      // consumers made before deliveries were limited redelivered a poison message for ever
      await jsm.consumers.update(JetStreamNames.analysis, DURABLE, { max_deliver: MAX_DELIVERIES });
    } catch {
      await jsm.consumers
        .add(JetStreamNames.analysis, {
          durable_name: DURABLE,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: AnalysisSubjects.allResults,
          ack_wait: nanos(30_000),
          max_ack_pending: 5000,
          max_deliver: MAX_DELIVERIES,
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

  /**
   * Stores a batch in one insert; when that fails, row by row, so one result the database refuses is dead-lettered
   * with its reason and the others are stored. Malformed results are dead-lettered before any insert.
   */
  private async store(msgs: JsMsg[]): Promise<void> {
    const good: Array<{ msg: JsMsg; row: AnalysisResultEntity }> = [];
    for (const m of msgs) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(m.data));
      } catch (e) {
        await this.setAside(m, `not JSON: ${(e as Error).message}`);
        continue;
      }
      const problem = checkWindowResult(parsed);
      if (problem) await this.setAside(m, problem);
      else good.push({ msg: m, row: toEntity(parsed as WindowResultDto) });
    }
    if (good.length === 0) return;
    const insert = (rows: AnalysisResultEntity[]) => this.ds.createQueryBuilder().insert().into(AnalysisResultEntity).values(rows).orIgnore().execute();
    try {
      // a window already stored (an agent restarted and republished it) is kept as first stored
      await insert(good.map((g) => g.row));
      for (const g of good) g.msg.ack();
      return;
    } catch (e) {
      this.logger.warn(`a batch of ${good.length} results failed (${(e as Error).message}): storing them one by one`);
    }
    for (const g of good) {
      try {
        await insert([g.row]);
        g.msg.ack();
      } catch (e) {
        if (g.msg.info.redeliveryCount + 1 >= MAX_DELIVERIES) await this.setAside(g.msg, `the database refused it ${MAX_DELIVERIES} times: ${(e as Error).message}`);
        else g.msg.nak(1000);
      }
    }
  }

  private async setAside(m: JsMsg, reason: string): Promise<void> {
    this.logger.warn(`result seq ${m.seq} set aside in ${JetStreamNames.deadLetter}: ${reason}`);
    await deadLetter(this.nc, DeadLetterSubjects.analysis, m, reason);
  }

  private async consume(): Promise<void> {
    const consumer = await this.nc.jetstream().consumers.get(JetStreamNames.analysis, DURABLE);
    while (this.running) {
      try {
        const batch = await consumer.fetch({ max_messages: 500, expires: 1000 });
        const msgs: JsMsg[] = [];
        for await (const m of batch) msgs.push(m);
        if (msgs.length === 0) continue;
        if (!tracingEnabled()) await this.store(msgs);
        else {
          // one span for the batch's insert, in the first result's trace (its window's), linked to the others
          const traces = msgs.map((m) => contextOf(m.headers));
          await inSpan(`${JetStreamNames.analysis} store`, { kind: SpanKind.CONSUMER, parent: traces[0], links: traces, attributes: { 'messaging.system': 'nats', 'loglens.results': msgs.length } }, () => this.store(msgs));
        }
      } catch (e) {
        if (this.running) this.logger.error(`storing results failed, retrying: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}

/**
 * The batch in one insert; when that fails, row by row, so one result the database refuses (or that is malformed)
 * is dead-lettered with its reason and the others are stored.
 */
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
