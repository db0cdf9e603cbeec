import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { sendJson, type HttpReply as Response, type HttpRequest as Request } from '../http/http-adapter';
import type { NatsConnection } from 'nats';
import {
  IngestError,
  IngestMetrics,
  LogPublisher,
  bulkToRecords,
  encodeExportLogsResponse,
  otlpLogsToRecords,
  parseRouting,
  subjectOf,
  type AgentKindInput,
  type IngestRecord,
  type InputName,
  type InputRouting,
} from '@loglens/log-inputs';
import { NATS_CONNECTION, ensureAnalysisInfrastructure, validateEnv } from '@loglens/nest-common';
import { MetricsService } from '../metrics/metrics.service';
import { LogInputsEnv } from './log-inputs.env';

/** OTLP/HTTP and bulk uploads → the LOGS stream, all of a request stored or a `{code, message}` error. */
@Injectable()
export class LogInputsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('log-inputs');
  private readonly env = validateEnv(LogInputsEnv, process.env);
  private readonly routing: InputRouting;
  private readonly publisher: LogPublisher;
  private readonly metrics: IngestMetrics;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    metrics: MetricsService,
  ) {
    this.routing = parseRouting(this.env.INGEST_WIFI_PROGRAMS, this.env.INGEST_WIFI_SOURCES);
    this.publisher = new LogPublisher(nc, { maxInFlight: this.env.INGEST_MAX_IN_FLIGHT });
    this.metrics = new IngestMetrics(metrics.registry, () => this.publisher);
  }

  async onModuleInit(): Promise<void> {
    // the LOGS stream normally comes with the agents; creating it here lets the inputs work before they start
    await ensureAnalysisInfrastructure(this.nc).catch((e: Error) => this.logger.warn(`could not ensure the LOGS stream yet: ${e.message}`));
  }

  /** requests already accepted finish storing before the NATS connection drains */
  async beforeApplicationShutdown(): Promise<void> {
    await this.publisher.idle();
    this.publisher.close();
  }

  async otlp(req: Request, res: Response, agent: AgentKindInput | undefined): Promise<void> {
    const type = req.headers['content-type'] ?? '';
    const input: InputName = /protobuf/i.test(type) ? 'otlp_protobuf' : 'otlp_json';
    try {
      const body = bodyOf(req);
      const { records, rejected, truncated } = otlpLogsToRecords(body, type, { routing: this.routing, maxLineBytes: this.env.INGEST_MAX_LINE_BYTES, agent });
      await this.store(input, records, truncated, `${type}\n`, body);
      const message = rejected ? `${rejected} log records without a body were dropped` : '';
      if (input === 'otlp_protobuf') {
        res.status(200);
        res.type('application/x-protobuf');
        res.send(Buffer.from(encodeExportLogsResponse(rejected, message)));
      } else {
        sendJson(res, 200, rejected ? { partialSuccess: { rejectedLogRecords: rejected, errorMessage: message } } : {});
      }
    } catch (e) {
      this.refuse(res, input, e);
    }
  }

  async bulk(req: Request, res: Response, query: { source?: string; agent?: AgentKindInput }): Promise<void> {
    const input: InputName = 'bulk';
    try {
      const body = bodyOf(req);
      const type = req.headers['content-type'] ?? '';
      const { records, truncated } = bulkToRecords(body, type, { routing: this.routing, maxLineBytes: this.env.INGEST_MAX_LINE_BYTES, source: query.source, agent: query.agent });
      await this.store(input, records, truncated, `${type}\n${req.url}\n`, body);
      const sources = [...new Set(records.map((r) => subjectOf(r)))];
      sendJson(res, 202, { accepted: records.length, truncated, subjects: sources.slice(0, 20) });
    } catch (e) {
      this.refuse(res, input, e);
    }
  }

  private async store(input: InputName, records: IngestRecord[], truncated: number, salt: string, body: Uint8Array): Promise<void> {
    this.metrics.received.inc({ input }, records.length);
    if (truncated) this.metrics.truncated.inc({ input }, truncated);
    // a client retrying the same request (same bytes) re-publishes the same message ids: JetStream stores each once
    const digest = createHash('sha256').update(salt).update(body).digest('base64url').slice(0, 22);
    await this.publisher.publishAll(records.map((record, i) => ({ record, msgID: `${digest}:${i}` })));
    this.metrics.published.inc({ input }, records.length);
  }

  private refuse(res: Response, input: InputName, e: unknown): void {
    const error = e instanceof IngestError ? e : null;
    if (!error) {
      this.logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      sendJson(res, 500, { code: 'INTERNAL', message: 'internal error' });
      return;
    }
    this.metrics.refused.inc({ input, code: error.code });
    if (error.retryable) res.header('Retry-After', '1');
    sendJson(res, error.httpStatus, error.toJSON());
  }
}

function bodyOf(req: Request): Uint8Array {
  const body: unknown = req.body;
  if (Buffer.isBuffer(body)) return body;
  if (body === undefined || body === null) return Buffer.alloc(0);
  throw new IngestError('INVALID_BODY', 'the body could not be read as bytes');
}
