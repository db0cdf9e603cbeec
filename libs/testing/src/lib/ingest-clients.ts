import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DeliverPolicy, type NatsConnection } from 'nats';
import { JetStreamNames, LOG_BATCH_HEADER } from '@loglens/contracts';
import { workspaceRoot } from './workspace';

/**
 * Real clients for the log inputs, shared by the ingest integration spec and `npm run bench:agents -- --ingest`:
 * the OpenTelemetry JS logs SDK with its OTLP/HTTP exporters, util-linux `logger`, and fetch for bulk uploads.
 * Each returns how many lines it handed over successfully, so a spec can compare that with what the stream holds.
 */
export interface SendResult {
  sent: number;
  /** lines the client itself reports as not delivered (exporter failures, refused uploads) */
  failed: number;
  ms: number;
}

/** `count` log records through the OpenTelemetry logs SDK → BatchLogRecordProcessor → OTLP/HTTP exporter. */
export async function sendOtlp(options: { url: string; apiKey: string; encoding: 'json' | 'protobuf'; service: string; count: number; line?: (i: number) => string }): Promise<SendResult> {
  // loaded here: the SDK is a dev dependency only these callers need
  const { LoggerProvider, BatchLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { SeverityNumber } = await import('@opentelemetry/api-logs');
  const { OTLPLogExporter } =
    options.encoding === 'json' ? await import('@opentelemetry/exporter-logs-otlp-http') : await import('@opentelemetry/exporter-logs-otlp-proto');
  const exporter = new OTLPLogExporter({ url: `${options.url}/v1/logs`, headers: { 'x-api-key': options.apiKey }, timeoutMillis: 30_000 });
  let failed = 0;
  // counts what the exporter reports as lost (after its own retries of 429/503)
  const counting: typeof exporter = Object.create(exporter) as typeof exporter;
  counting.export = (logs, done) =>
    exporter.export(logs, (result) => {
      if (result.code !== 0) failed += logs.length;
      done(result);
    });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service, 'host.name': 'bench-host' }),
    processors: [new BatchLogRecordProcessor({ exporter: counting, maxQueueSize: options.count + 1, maxExportBatchSize: Math.min(1000, options.count), scheduledDelayMillis: 50, exportTimeoutMillis: 60_000 })],
  });
  const logger = provider.getLogger('loglens-ingest-client');
  const line = options.line ?? ((i: number) => `request ${i} served in ${i % 97} ms for user u${i % 13}`);
  const started = performance.now();
  for (let i = 0; i < options.count; i++) {
    logger.emit({ body: line(i), severityNumber: i % 50 === 0 ? SeverityNumber.WARN : SeverityNumber.INFO, timestamp: Date.now(), attributes: { seq: i } });
  }
  await provider.forceFlush();
  const ms = performance.now() - started;
  await provider.shutdown();
  return { sent: options.count - failed, failed, ms };
}

/** sendOtlp in a child process (tools/bench/otlp-send.ts): the exporter's dynamic `import('http')` fails inside jest's VM. */
export function sendOtlpProcess(options: { url: string; apiKey: string; encoding: 'json' | 'protobuf'; service: string; count: number }): Promise<SendResult> {
  const ws = workspaceRoot();
  const args = [path.join(ws, 'tools/ts-run.mjs'), path.join(ws, 'tools/bench/otlp-send.ts'), '--url', options.url, '--api-key', options.apiKey, '--encoding', options.encoding, '--service', options.service, '--count', String(options.count)];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd: ws, maxBuffer: 1 << 20 }, (e, out, err) => (e ? reject(new Error(`otlp-send failed: ${err || e.message}`)) : resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as SendResult))),
  );
}

/**
 * `count` lines through util-linux `logger` (`--tcp` or `--udp`, RFC 5424, optionally octet-counted), read from a
 * file. UDP has no flow control: `chunk` lines are sent at a time and `paced` (e.g. waiting until the stream holds
 * them) runs before the next chunk, so the kernel's receive buffer is not overrun by a sender far faster than any
 * receiver.
 */
export async function sendLogger(options: {
  protocol: 'tcp' | 'udp';
  port: number;
  tag: string;
  count: number;
  file: string;
  octetCount?: boolean;
  chunk?: number;
  paced?: (sentSoFar: number) => Promise<void>;
  line?: (i: number) => string;
}): Promise<SendResult> {
  const line = options.line ?? ((i: number) => `session ${i % 211} step ${i} finished with code ${i % 7}`);
  const chunk = options.chunk ?? options.count;
  const started = performance.now();
  for (let from = 0; from < options.count; from += chunk) {
    const n = Math.min(chunk, options.count - from);
    writeFileSync(options.file, Array.from({ length: n }, (_, k) => line(from + k)).join('\n') + '\n');
    const args = [`--${options.protocol}`, '--rfc5424', '-n', '127.0.0.1', '-P', String(options.port), '-t', options.tag, '--size', '2000000', '-f', options.file];
    if (options.octetCount) args.unshift('--octet-count');
    await new Promise<void>((resolve, reject) => execFile('logger', args, (e, _out, stderr) => (e ? reject(new Error(`logger failed: ${stderr || e.message}`)) : resolve())));
    if (options.paced) await options.paced(from + n);
  }
  return { sent: options.count, failed: 0, ms: performance.now() - started };
}

/** `count` lines as bulk uploads of `perRequest` lines (NDJSON or text), retrying 429/503 after Retry-After. */
export async function sendBulk(options: { url: string; apiKey: string; source: string; count: number; perRequest?: number; ndjson?: boolean; line?: (i: number) => string }): Promise<SendResult> {
  const per = options.perRequest ?? 5000;
  const line = options.line ?? ((i: number) => `batch job ${i % 31} wrote ${i} rows`);
  const started = performance.now();
  let failed = 0;
  const uploads: Promise<void>[] = [];
  for (let from = 0; from < options.count; from += per) {
    const n = Math.min(per, options.count - from);
    const lines = Array.from({ length: n }, (_, k) => (options.ndjson ? JSON.stringify({ message: line(from + k), timestamp: new Date().toISOString(), seq: from + k }) : line(from + k)));
    uploads.push(
      (async () => {
        for (let attempt = 0; attempt < 20; attempt++) {
          const res = await fetch(`${options.url}/api/v1/logs?source=${encodeURIComponent(options.source)}`, {
            method: 'POST',
            headers: { 'x-api-key': options.apiKey, 'content-type': options.ndjson ? 'application/x-ndjson' : 'text/plain' },
            body: lines.join('\n'),
          });
          await res.arrayBuffer();
          if (res.status === 202) return;
          if (res.status !== 429 && res.status !== 503) break;
          await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
        }
        failed += n;
      })(),
    );
    // a few uploads in flight at once, as a script with a small pool would send them
    if (uploads.length >= 4) await uploads.shift();
  }
  await Promise.all(uploads);
  return { sent: options.count - failed, failed, ms: performance.now() - started };
}

/** Per connection and subject: the records counted so far and the last stream sequence read. */
const counted = new WeakMap<NatsConnection, Map<string, { seq: number; messages: number; records: number }>>();

/**
 * Records the LOGS stream holds on one subject: a record batch (LOG_BATCH_HEADER) counts its records. Reads only the
 * headers of messages stored since the last count on this connection.
 */
export async function streamCount(nc: NatsConnection, subject: string): Promise<number> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(JetStreamNames.logs, { subjects_filter: subject });
  const messages = info.state.subjects?.[subject] ?? 0;
  let bySubject = counted.get(nc);
  if (!bySubject) counted.set(nc, (bySubject = new Map()));
  const seen = bySubject.get(subject) ?? { seq: 0, messages: 0, records: 0 };
  if (messages <= seen.messages) return messages === seen.messages ? seen.records : messages;
  const consumer = await nc.jetstream().consumers.get(JetStreamNames.logs, {
    filterSubjects: subject,
    headers_only: true,
    ...(seen.seq ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: seen.seq + 1 } : {}),
  });
  const next = { ...seen };
  for (let got = -1; got !== 0 && next.messages < messages; ) {
    got = 0;
    for await (const msg of await consumer.fetch({ max_messages: messages - next.messages, expires: 2000 })) {
      got++;
      next.seq = msg.seq;
      next.messages++;
      next.records += Number(msg.headers?.get(LOG_BATCH_HEADER) || 1);
    }
  }
  await consumer.delete().catch(() => undefined);
  bySubject.set(subject, next);
  return next.records;
}

/** Waits until the subject holds at least `count` records (or the time is up) and returns what it holds. */
export async function waitForStreamCount(nc: NatsConnection, subject: string, count: number, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await streamCount(nc, subject);
    if (n >= count || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One sample of a Prometheus text exposition (`name{labels}`), 0 when absent. */
export function metricValue(text: string, sample: string): number {
  for (const line of text.split('\n')) if (line.startsWith(`${sample} `)) return Number(line.slice(sample.length + 1));
  return 0;
}
