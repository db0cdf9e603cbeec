import { Counter, Gauge, type Registry } from 'prom-client';
import type { LogPublisher } from './publisher';

export const INPUT_NAMES = ['syslog_tcp', 'syslog_udp', 'otlp_json', 'otlp_protobuf', 'bulk'] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/**
 * Why a line did not reach the stream. Only UDP (which cannot push back) and a TCP sender that breaks the framing
 * lose lines; HTTP inputs refuse the request instead (4xx/429/503) and count it under loglens_http_requests_total.
 */
export type DropReason = 'backpressure' | 'publish_failed' | 'framing_error' | 'incomplete_frame';

/** The inputs' Prometheus metrics, registered on the registry the process serves at /metrics. */
export class IngestMetrics {
  readonly received: Counter<'input'>;
  readonly published: Counter<'input'>;
  readonly dropped: Counter<'input' | 'reason'>;
  readonly truncated: Counter<'input'>;
  readonly invalidUtf8: Counter<'input'>;
  readonly refused: Counter<'input' | 'code'>;
  readonly paused: Counter<'input'>;
  readonly retries: Counter<'input'>;
  readonly connections: Gauge<'input'>;

  constructor(registry: Registry, publisher?: () => LogPublisher | undefined) {
    const registers = [registry];
    this.received = new Counter({ name: 'loglens_ingest_lines_received_total', help: 'log lines received, by input', labelNames: ['input'], registers });
    this.published = new Counter({ name: 'loglens_ingest_lines_published_total', help: 'log lines stored in the LOGS stream, by input', labelNames: ['input'], registers });
    this.dropped = new Counter({ name: 'loglens_ingest_lines_dropped_total', help: 'log lines lost, by input and reason', labelNames: ['input', 'reason'], registers });
    this.truncated = new Counter({ name: 'loglens_ingest_lines_truncated_total', help: 'lines cut to the line cap (kept, flagged truncated)', labelNames: ['input'], registers });
    this.invalidUtf8 = new Counter({ name: 'loglens_ingest_lines_invalid_utf8_total', help: 'syslog lines that were not UTF-8 (kept with U+FFFD, flagged invalidUtf8)', labelNames: ['input'], registers });
    this.refused = new Counter({ name: 'loglens_ingest_requests_refused_total', help: 'HTTP uploads refused whole, by input and error code', labelNames: ['input', 'code'], registers });
    this.paused = new Counter({ name: 'loglens_ingest_tcp_pauses_total', help: 'times a TCP connection stopped being read until publishes caught up', labelNames: ['input'], registers });
    this.retries = new Counter({ name: 'loglens_ingest_publish_retries_total', help: 'TCP lines published again after a JetStream error (the connection stays paused meanwhile)', labelNames: ['input'], registers });
    this.connections = new Gauge({ name: 'loglens_ingest_connections', help: 'open syslog TCP connections', labelNames: ['input'], registers });
    new Gauge({
      name: 'loglens_ingest_publish_in_flight',
      help: 'publishes awaiting the JetStream ack, plus those waiting for room',
      registers,
      collect() {
        const p = publisher?.();
        this.set(p ? p.inFlight + p.queued : 0);
      },
    });
    for (const input of INPUT_NAMES) {
      this.received.inc({ input }, 0);
      this.published.inc({ input }, 0);
    }
  }
}
