import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiscardPolicy, type NatsConnection, type StreamConfig } from 'nats';
import { JetStreamNames, LOG_BATCH_HEADER, LogSubjects } from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { ensureAnalysisInfrastructure, storedRecordsOf } from '@loglens/nest-common';
import {
  connectTestNats,
  metricValue,
  sendBulk,
  sendLogger,
  sendOtlpProcess,
  spawnService,
  streamCount,
  waitForStreamCount,
  type RunningService,
  waitFor,
} from '@loglens/testing';

const VIEWER = 'viewer-key-ingest-1';
// modest counts for CI; `npm run bench:agents -- --ingest` sends 100,000 per path
const N = 3000;

/**
 * The log inputs as shippers use them: the OpenTelemetry JS SDK's OTLP/HTTP exporters (JSON and protobuf) against the
 * gateway, util-linux `logger` against the ingest app's syslog port (TCP, LF and octet-counted; UDP), and bulk
 * uploads — each followed by a count of what the LOGS stream holds.
 */
describe('log inputs with real clients: OTLP/HTTP, syslog TCP/UDP, bulk → LOGS', () => {
  let nc: NatsConnection;
  let gateway: RunningService;
  let ingest: RunningService;
  let url = '';
  let syslogPort = 0;
  let metricsPort = 0;
  const run = Date.now().toString(36);
  const tmp = mkdtempSync(path.join(tmpdir(), 'loglens-ingest-'));
  const generic = (source: string) => `${LogSubjects.generic}.${source}`;

  async function ingestMetrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  }

  async function gatewayMetrics(): Promise<string> {
    return (await fetch(`${url}/metrics`)).text();
  }

  async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    await waitFor(what, async () => ((await check()) ? true : undefined), { timeoutMs });
  }

  /** the subject holds exactly `n` once the inputs have nothing left in flight */
  async function expectStored(subject: string, n: number): Promise<void> {
    expect(await waitForStreamCount(nc, subject, n)).toBe(n);
    await until('ingest idle', async () => metricValue(await ingestMetrics(), 'loglens_ingest_publish_in_flight') === 0);
    expect(await streamCount(nc, subject)).toBe(n);
  }

  /** the last record stored on the subject (the last line of a record batch) */
  async function lastMessage(subject: string): Promise<Record<string, unknown>> {
    const jsm = await nc.jetstreamManager();
    const m = await jsm.streams.getMessage(JetStreamNames.logs, { last_by_subj: subject });
    const records = new TextDecoder().decode(m.data).split('\n');
    expect(records).toHaveLength(Number(m.header?.get(LOG_BATCH_HEADER) || 1));
    return JSON.parse(records[records.length - 1]) as Record<string, unknown>;
  }

  beforeAll(async () => {
    nc = await connectTestNats('ingest-spec');
    await ensureAnalysisInfrastructure(nc);
    const gatewayPort = await freePort();
    syslogPort = await freePort();
    metricsPort = await freePort();
    url = `http://127.0.0.1:${gatewayPort}`;
    [gateway, ingest] = await Promise.all([
      spawnService('gateway', nc, { GATEWAY_PORT: String(gatewayPort), API_KEYS: `viewer:${VIEWER}` }),
      spawnService('ingest', nc, { SYSLOG_PORT: String(syslogPort), SYSLOG_HOST: '127.0.0.1', INGEST_METRICS_PORT: String(metricsPort), SYSLOG_SOURCE_BY: 'app' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), ingest?.stop()]);
    await nc?.drain();
  });

  it('stores every record the OpenTelemetry SDK exports as protobuf and as JSON, named by service.name', async () => {
    for (const encoding of ['protobuf', 'json'] as const) {
      const service = `otlp-${encoding}-${run}`;
      const result = await sendOtlpProcess({ url, apiKey: VIEWER, encoding, service, count: N });
      expect(result).toMatchObject({ sent: N, failed: 0 });
      await expectStored(generic(service), N);
      expect(await lastMessage(generic(service))).toMatchObject({
        message: `request ${N - 1} served in ${(N - 1) % 97} ms for user u${(N - 1) % 13}`,
        host: 'bench-host',
        severity: 'INFO',
        scope: 'loglens-ingest-client',
        seq: N - 1,
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    }
    const metrics = await gatewayMetrics();
    expect(metricValue(metrics, 'loglens_ingest_lines_published_total{input="otlp_protobuf"}')).toBeGreaterThanOrEqual(N);
    expect(metricValue(metrics, 'loglens_ingest_lines_published_total{input="otlp_json"}')).toBeGreaterThanOrEqual(N);
  });

  it('stores every line logger sends over TCP, newline-framed and octet-counted', async () => {
    const tag = `tcp-${run}`;
    await sendLogger({ protocol: 'tcp', port: syslogPort, tag, count: N, file: path.join(tmp, 'tcp.txt') });
    await sendLogger({ protocol: 'tcp', port: syslogPort, tag, count: N, file: path.join(tmp, 'tcp-octets.txt'), octetCount: true });
    await expectStored(generic(tag), 2 * N);
    expect(await lastMessage(generic(tag))).toMatchObject({ message: `session ${(N - 1) % 211} step ${N - 1} finished with code ${(N - 1) % 7}`, appName: tag, severity: 'notice' });
  });

  it('stores the lines of one TCP read as record batches, in the order they were sent', async () => {
    const tag = `tcpbatch-${run}`;
    const subject = generic(tag);
    const lines = 2000;
    const socket = createConnection({ host: '127.0.0.1', port: syslogPort });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    // one write of 2,000 newline-framed RFC 5424 lines (~150 KiB): the server reads it in a few large chunks
    const text = Array.from({ length: lines }, (_, i) => `<13>1 2026-12-07T03:00:00.000Z bench-host ${tag} - - - line ${i} of the burst`).join('\n') + '\n';
    await new Promise<void>((resolve) => socket.end(text, resolve));
    await expectStored(subject, lines);
    const jsm = await nc.jetstreamManager();
    const messages = (await jsm.streams.info(JetStreamNames.logs, { subjects_filter: subject })).state.subjects?.[subject] ?? 0;
    // batched: far fewer stored messages than lines (one per line would be 2,000)
    expect(messages).toBeLessThan(lines / 10);
    const consumer = await nc.jetstream().consumers.get(JetStreamNames.logs, { filterSubjects: subject });
    const seen: string[] = [];
    for (let read = 0, got = -1; got !== 0 && read < messages; read += got) {
      got = 0;
      for await (const m of await consumer.fetch({ max_messages: messages - read, expires: 2000 })) {
        got++;
        const records = storedRecordsOf(m);
        if ('error' in records) throw new Error(records.error);
        seen.push(...records.map((r) => (typeof r === 'string' ? r : r.message)));
      }
    }
    await consumer.delete().catch(() => undefined);
    expect(seen).toEqual(Array.from({ length: lines }, (_, i) => `line ${i} of the burst`));
  });

  it('stores every line logger sends over UDP when the sender is paced by what is stored', async () => {
    const tag = `udp-${run}`;
    const subject = generic(tag);
    await sendLogger({ protocol: 'udp', port: syslogPort, tag, count: N, file: path.join(tmp, 'udp.txt'), chunk: 500, paced: async (sent) => void (await waitForStreamCount(nc, subject, sent, 10_000)) });
    await expectStored(subject, N);
    const metrics = await ingestMetrics();
    expect(metricValue(metrics, 'loglens_ingest_lines_received_total{input="syslog_udp"}')).toBe(N);
    expect(metricValue(metrics, 'loglens_ingest_lines_dropped_total{input="syslog_udp",reason="backpressure"}')).toBe(0);
  });

  it('accounts for every datagram of an unpaced UDP burst: stored, or counted as dropped by the kernel or by back-pressure', async () => {
    const tag = `udpburst-${run}`;
    const sample = (m: string) => ({
      received: metricValue(m, 'loglens_ingest_lines_received_total{input="syslog_udp"}'),
      published: metricValue(m, 'loglens_ingest_lines_published_total{input="syslog_udp"}'),
      dropped: metricValue(m, 'loglens_ingest_lines_dropped_total{input="syslog_udp",reason="backpressure"}') + metricValue(m, 'loglens_ingest_lines_dropped_total{input="syslog_udp",reason="publish_failed"}'),
      kernel: metricValue(m, 'loglens_ingest_udp_receive_buffer_drops'),
    });
    const before = sample(await ingestMetrics());
    const burst = 20_000;
    await sendLogger({ protocol: 'udp', port: syslogPort, tag, count: burst, file: path.join(tmp, 'burst.txt') });
    let after = before;
    await until('every datagram accounted for', async () => {
      after = sample(await ingestMetrics());
      return after.received - before.received + after.kernel - before.kernel === burst && after.published - before.published + after.dropped - before.dropped === after.received - before.received;
    });
    expect(await streamCount(nc, generic(tag))).toBe(after.published - before.published);
  });

  it('stores every line Debian rsyslog forwards with the README rule (omfwd, TCP, octet-counted RFC 5424)', async () => {
    const inputPort = await freePort();
    const dir = path.join(tmp, 'rsyslog');
    mkdirSync(dir, { recursive: true });
    const conf = path.join(dir, 'rsyslog.conf');
    // the README's forwarding rule, fed by a TCP input that `logger` writes to (rsyslog reads no system log here)
    writeFileSync(
      conf,
      [
        `global(workDirectory="${dir}")`,
        'module(load="imtcp")',
        `input(type="imtcp" port="${inputPort}" address="127.0.0.1")`,
        `*.* action(type="omfwd" target="127.0.0.1" port="${syslogPort}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format" queue.type="LinkedList" queue.filename="loglens" action.resumeRetryCount="-1")`,
        '',
      ].join('\n'),
    );
    const rsyslogd = spawn('rsyslogd', ['-n', '-f', conf, '-i', path.join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    rsyslogd.stdout.on('data', (c: Buffer) => (out += c.toString()));
    rsyslogd.stderr.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await until(`rsyslogd listening on ${inputPort}`, async () => {
        if (rsyslogd.exitCode !== null) throw new Error(`rsyslogd exited with ${rsyslogd.exitCode}: ${out}`);
        return new Promise<boolean>((resolve) => {
          const probe = createConnection(inputPort, '127.0.0.1', () => {
            probe.end();
            resolve(true);
          });
          probe.on('error', () => resolve(false));
        });
      });
      const tag = `rsyslog-${run}`;
      await sendLogger({ protocol: 'tcp', port: inputPort, tag, count: N, file: path.join(tmp, 'rsyslog.txt') });
      await expectStored(generic(tag), N);
      // rsyslog's queue may reorder lines: the count above is the check for loss, this one for content
      expect(await lastMessage(generic(tag))).toMatchObject({ message: expect.stringMatching(/^session \d+ step \d+ finished with code \d$/), appName: tag });
    } finally {
      rsyslogd.kill('SIGTERM');
      await new Promise((r) => (rsyslogd.exitCode !== null ? r(null) : rsyslogd.once('exit', r)));
    }
  });

  it('stores bulk uploads of text and NDJSON lines under ?source=', async () => {
    const source = `bulk-${run}`;
    expect(await sendBulk({ url, apiKey: VIEWER, source, count: N, perRequest: 1000 })).toMatchObject({ sent: N, failed: 0 });
    expect(await sendBulk({ url, apiKey: VIEWER, source, count: N, perRequest: 1000, ndjson: true })).toMatchObject({ sent: N, failed: 0 });
    await expectStored(generic(source), 2 * N);
    expect(await lastMessage(generic(source))).toMatchObject({ message: `batch job ${(N - 1) % 31} wrote ${N - 1} rows`, seq: N - 1 });
  });

  it('answers bad input with a clear error or a counted reason, truncates 1 MiB lines with a flag, and keeps running', async () => {
    const post = (route: string, type: string, body: Buffer | string) =>
      fetch(`${url}${route}`, { method: 'POST', headers: { 'x-api-key': VIEWER, 'content-type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as { code?: string; message?: string; accepted?: number; truncated?: number } }));
    expect(await post('/v1/logs', 'application/x-protobuf', Buffer.from([0x0a, 0xff, 0xff]))).toEqual({ status: 400, body: { code: 'INVALID_PROTOBUF', message: 'malformed OTLP protobuf: truncated varint' } });
    expect((await post('/v1/logs', 'text/plain', 'x')).status).toBe(415);
    expect(await post('/api/v1/logs', 'text/plain', Buffer.from([0x6f, 0x6b, 0x0a, 0xc3, 0x28]))).toMatchObject({ status: 400, body: { code: 'INVALID_UTF8', message: expect.stringMatching(/^line 2 /) } });
    const source = `big-${run}`;
    expect(await post(`/api/v1/logs?source=${source}`, 'text/plain', 'x'.repeat(1024 * 1024))).toEqual({ status: 202, body: { accepted: 1, truncated: 1, subjects: [generic(source)] } });
    const stored = await lastMessage(generic(source));
    expect([(stored['message'] as string).length, stored['truncated'], stored['originalBytes']]).toEqual([64 * 1024, true, 1024 * 1024]);

    // syslog: a 1 MiB line over TCP is truncated and flagged; a broken octet count closes only that connection
    const tag = `bigtcp-${run}`;
    await sendLogger({ protocol: 'tcp', port: syslogPort, tag, count: 1, file: path.join(tmp, 'big.txt'), line: () => 'y'.repeat(1024 * 1024) });
    await expectStored(generic(tag), 1);
    expect(await lastMessage(generic(tag))).toMatchObject({ truncated: true, originalBytes: expect.any(Number) });
    await new Promise<void>((resolve) => {
      const socket = createConnection(syslogPort, '127.0.0.1', () => socket.write('999999999 <13>1 - h a - - - x\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    expect(metricValue(await ingestMetrics(), 'loglens_ingest_lines_dropped_total{input="syslog_tcp",reason="framing_error"}')).toBe(1);
    await sendLogger({ protocol: 'tcp', port: syslogPort, tag, count: 1, file: path.join(tmp, 'after.txt') });
    await expectStored(generic(tag), 2);
    // the gateway's readiness lists the ingest instance with its counters (to a caller with a key)
    const ready = (await (await fetch(`${url}/health/ready`, { headers: { 'x-api-key': VIEWER } })).json()) as { services: Record<string, { up: boolean; details: { syslog?: { dropped?: Record<string, number> } }[] }> };
    expect(ready.services['ingest']).toMatchObject({ up: true, details: [{ syslog: { dropped: { 'syslog_tcp:framing_error': 1 } } }] });
  });

  // it fills the LOGS stream for a while: only on a nats-server the test setup started, never on a shared one
  const onOwnNats = process.env['LOGLENS_IT_OWN_NATS'] === '1' ? it : it.skip;
  onOwnNats('answers 429 while LOGS is full, then the OTLP exporter retries, TCP resumes and bulk retries: nothing is lost', async () => {
    const jsm = await nc.jetstreamManager();
    const original = (await jsm.streams.info(JetStreamNames.logs)).config;
    // full = as many messages as it holds now (at least one: max_msgs 0 would mean unlimited), refusing new ones
    await nc.jetstream().publish(generic(`filler-${run}`), new TextEncoder().encode('{"message":"filler"}'));
    const full: Partial<StreamConfig> = { ...original, max_msgs: (await jsm.streams.info(JetStreamNames.logs)).state.messages, discard: DiscardPolicy.New };
    await jsm.streams.update(JetStreamNames.logs, full);
    try {
      const source = `full-${run}`;
      const res = await fetch(`${url}/api/v1/logs?source=${source}`, { method: 'POST', headers: { 'x-api-key': VIEWER, 'content-type': 'text/plain' }, body: 'a\nb' });
      expect([res.status, res.headers.get('retry-after'), ((await res.json()) as { code: string }).code]).toEqual([429, '1', 'STREAM_FULL']);

      // real clients against the full stream: they must not lose anything once there is room again. The OTLP sender
      // (a child process that compiles first: slow on a loaded machine) goes first; its exporter retries a 429 five
      // times, a second apart, so the others start once it has been refused and the stream is freed right after.
      const tag = `fulltcp-${run}`;
      const otlp = sendOtlpProcess({ url, apiKey: VIEWER, encoding: 'protobuf', service: `fullotlp-${run}`, count: 500 });
      await until('the OTLP exporter to meet the full stream', async () => metricValue(await gatewayMetrics(), 'loglens_ingest_requests_refused_total{input="otlp_protobuf",code="STREAM_FULL"}') > 0, 90_000);
      const tcp = sendLogger({ protocol: 'tcp', port: syslogPort, tag, count: 500, file: path.join(tmp, 'full.txt') });
      const bulk = sendBulk({ url, apiKey: VIEWER, source, count: 500, perRequest: 100 });
      await until('syslog TCP and bulk to meet the full stream', async () => {
        const [g, i] = [await gatewayMetrics(), await ingestMetrics()];
        return metricValue(g, 'loglens_ingest_requests_refused_total{input="bulk",code="STREAM_FULL"}') > 1 && metricValue(i, 'loglens_ingest_publish_retries_total{input="syslog_tcp"}') > 0;
      });
      await jsm.streams.update(JetStreamNames.logs, { ...original });
      expect(await otlp).toMatchObject({ sent: 500, failed: 0 });
      expect(await bulk).toMatchObject({ sent: 500, failed: 0 });
      await tcp;
      await expectStored(generic(`fullotlp-${run}`), 500);
      await expectStored(generic(tag), 500);
      await expectStored(generic(source), 500);
      expect(metricValue(await ingestMetrics(), 'loglens_ingest_lines_dropped_total{input="syslog_tcp",reason="publish_failed"}')).toBe(0);
    } finally {
      await jsm.streams.update(JetStreamNames.logs, { ...original });
    }
  });
});
