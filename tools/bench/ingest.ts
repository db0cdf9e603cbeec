// Ingest throughput: `npm run bench:agents -- --ingest [--lines 100000]`. Starts a nats-server with JetStream, the
// built gateway and ingest apps, then sends --lines log lines through each input with its real client — the
// OpenTelemetry JS logs SDK with the OTLP/HTTP JSON and protobuf exporters, util-linux `logger` over TCP and UDP,
// bulk uploads over fetch — and times each until the LOGS stream holds what was sent. Prints a markdown table:
// lines/s (send start → last line stored), sent vs stored, and CPU per 1,000 lines of the receiving process.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { LogSubjects } from '@loglens/contracts';
import { freePort, startNatsServer, type NatsHandle } from '@loglens/dev-infra';
import { ensureAnalysisInfrastructure } from '@loglens/nest-common';
import {
  metricValue,
  processCpuUs,
  sendBulk,
  sendLogger,
  sendOtlp,
  spawnService,
  streamCount,
  waitForStreamCount,
  type RunningService,
  type SendResult,
} from '@loglens/testing';

interface Row {
  path: string;
  client: string;
  sent: number;
  stored: number;
  seconds: number;
  note: string;
  cpuPer1k: number;
}

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};

export async function runIngestBench(): Promise<void> {
  const LINES = arg('lines', 100_000);
  const log = (m: string) => console.error(`[bench:ingest] ${m}`);
  const run = Date.now().toString(36);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loglens-bench-ingest-'));
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const loadAtStart = load();
  const started = Date.now();
  let nats: NatsHandle | undefined;
  let nc: NatsConnection | undefined;
  const services: RunningService[] = [];
  try {
    nats = await startNatsServer({ dataDir: path.join(tmp, 'nats') });
    nc = await connect({ servers: nats.url, name: 'bench-ingest' });
    await ensureAnalysisInfrastructure(nc);
    const [gatewayPort, syslogPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    const key = 'bench-viewer-key';
    const url = `http://127.0.0.1:${gatewayPort}`;
    const [gateway, ingest] = await Promise.all([
      spawnService('gateway', nc, { NATS_URL: nats.url, GATEWAY_PORT: String(gatewayPort), API_KEYS: `viewer:${key}` }),
      spawnService('ingest', nc, { NATS_URL: nats.url, SYSLOG_PORT: String(syslogPort), SYSLOG_HOST: '127.0.0.1', INGEST_METRICS_PORT: String(metricsPort), SYSLOG_SOURCE_BY: 'app' }),
    ]);
    services.push(gateway, ingest);
    const ingestMetrics = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const rows: Row[] = [];
    const client = nc;

    async function measure(pathName: string, clientName: string, subject: string, receiver: RunningService, send: () => Promise<SendResult>, note = ''): Promise<void> {
      log(`${pathName}: sending ${LINES} lines…`);
      const cpu0 = processCpuUs(receiver.process.pid);
      const t0 = performance.now();
      const result = await send();
      const stored = await waitForStreamCount(client, subject, result.sent, 120_000);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = (processCpuUs(receiver.process.pid) - cpu0) / 1000;
      rows.push({ path: pathName, client: clientName, sent: result.sent + result.failed, stored: await streamCount(client, subject), seconds, note, cpuPer1k: cpu / (LINES / 1000) });
      log(`${pathName}: ${stored} stored of ${result.sent + result.failed} in ${seconds.toFixed(1)} s`);
    }

    const generic = (s: string) => `${LogSubjects.generic}.${s}`;
    for (const encoding of ['json', 'protobuf'] as const) {
      const service = `otlp-${encoding}-${run}`;
      await measure(`OTLP/HTTP ${encoding === 'json' ? 'JSON' : 'protobuf'}`, `@opentelemetry/exporter-logs-otlp-${encoding === 'json' ? 'http' : 'proto'} (batch 1,000)`, generic(service), gateway, () =>
        sendOtlp({ url, apiKey: key, encoding, service, count: LINES }),
      );
    }
    const tcpTag = `tcp-${run}`;
    await measure('syslog TCP (RFC 5424, LF)', '`logger --tcp --rfc5424 -f`', generic(tcpTag), ingest, () =>
      sendLogger({ protocol: 'tcp', port: syslogPort, tag: tcpTag, count: LINES, file: path.join(tmp, 'tcp.txt') }),
    );
    const udpTag = `udp-${run}`;
    await measure('syslog UDP (RFC 5424), paced', '`logger --udp --rfc5424 -f`, 2,000 lines per call, next call once stored', generic(udpTag), ingest, () =>
      sendLogger({ protocol: 'udp', port: syslogPort, tag: udpTag, count: LINES, file: path.join(tmp, 'udp.txt'), chunk: 2000, paced: async (n) => void (await waitForStreamCount(client, generic(udpTag), n, 30_000)) }),
    );
    // unpaced: logger writes datagrams far faster than any receiver; what is lost must be counted, not silent
    const burstTag = `udpburst-${run}`;
    const before = await ingestMetrics();
    const kernel0 = metricValue(before, 'loglens_ingest_udp_receive_buffer_drops');
    const received0 = metricValue(before, 'loglens_ingest_lines_received_total{input="syslog_udp"}');
    const t0 = performance.now();
    const cpu0 = processCpuUs(ingest.process.pid);
    await sendLogger({ protocol: 'udp', port: syslogPort, tag: burstTag, count: LINES, file: path.join(tmp, 'burst.txt') });
    let after = before;
    for (let i = 0; i < 600; i++) {
      after = await ingestMetrics();
      const accounted = metricValue(after, 'loglens_ingest_lines_received_total{input="syslog_udp"}') - received0 + metricValue(after, 'loglens_ingest_udp_receive_buffer_drops') - kernel0;
      if (accounted >= LINES && metricValue(after, 'loglens_ingest_publish_in_flight') === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const kernelDrops = metricValue(after, 'loglens_ingest_udp_receive_buffer_drops') - kernel0;
    const bpDrops = metricValue(after, 'loglens_ingest_lines_dropped_total{input="syslog_udp",reason="backpressure"}') - metricValue(before, 'loglens_ingest_lines_dropped_total{input="syslog_udp",reason="backpressure"}');
    const burstStored = await streamCount(client, generic(burstTag));
    rows.push({
      path: 'syslog UDP, unpaced burst',
      client: '`logger --udp --rfc5424 -f` (one call)',
      sent: LINES,
      stored: burstStored,
      seconds: (performance.now() - t0) / 1000,
      note: `not stored: ${kernelDrops} counted as \`udp_receive_buffer_drops\` (kernel), ${bpDrops} as \`dropped{reason="backpressure"}\`; unaccounted: ${LINES - burstStored - kernelDrops - bpDrops}; CPU per 1,000 stored`,
      cpuPer1k: (processCpuUs(ingest.process.pid) - cpu0) / 1000 / (Math.max(1, burstStored) / 1000),
    });
    const bulkSource = `bulk-${run}`;
    await measure('bulk `POST /api/v1/logs` (text)', 'fetch, 5,000 lines per request, 4 in flight', generic(bulkSource), gateway, () =>
      sendBulk({ url, apiKey: key, source: bulkSource, count: LINES, perRequest: 5000 }),
    );
    const ndjsonSource = `ndjson-${run}`;
    await measure('bulk `POST /api/v1/logs` (NDJSON)', 'fetch, 5,000 objects per request, 4 in flight', generic(ndjsonSource), gateway, () =>
      sendBulk({ url, apiKey: key, source: ndjsonSource, count: LINES, perRequest: 5000, ndjson: true }),
    );

    console.log(`\n${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, ${LINES.toLocaleString('en-US')} lines per input, ${Math.round((Date.now() - started) / 1000)} s; load average (1/5/15 min) at start ${loadAtStart}, at end ${load()}`);
    console.log(`\n| input | client | sent | stored | s | lines/s | receiver CPU ms / 1,000 lines | note |`);
    console.log(`|---|---|---:|---:|---:|---:|---:|---|`);
    for (const r of rows) {
      const rate = r.stored === r.sent ? Math.round(r.stored / r.seconds).toLocaleString('en-US') : '—';
      console.log(`| ${r.path} | ${r.client} | ${r.sent.toLocaleString('en-US')} | ${r.stored.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} | ${rate} | ${r.cpuPer1k.toFixed(0)} | ${r.note} |`);
    }
  } finally {
    for (const s of services) await s.stop();
    await nc?.drain().catch(() => undefined);
    await nats?.stop();
  }
}
