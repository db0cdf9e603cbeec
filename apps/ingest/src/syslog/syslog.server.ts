import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { NatsConnection } from 'nats';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import {
  IngestMetrics,
  LogPublisher,
  SyslogFramer,
  parseRouting,
  syslogRecord,
  type DropReason,
  type IngestRecord,
  type InputName,
  type OutgoingMessage,
  type SyslogInputOptions,
} from '@loglens/log-inputs';
import { HealthResponder, NATS_CONNECTION, ensureAnalysisInfrastructure } from '@loglens/nest-common';
import type { IngestEnv } from '../app/ingest.env';
import { INGEST_ENV } from '../app/tokens';

/** a TCP connection stops being read with this many of its lines unacknowledged, and resumes below the low mark */
const TCP_HIGH_WATER = 1024;
const TCP_LOW_WATER = 256;
/** UDP lines beyond this many waiting for room are dropped (and counted): a datagram cannot be told to slow down */
const UDP_MAX_QUEUED = 8192;
/** open syslog TCP connections at most (each holds at most one frame, ≤ INGEST_MAX_LINE_BYTES + 2 KiB) */
const TCP_MAX_CONNECTIONS = 4096;
/** a TCP line whose publish keeps failing is retried this long before it is counted as lost */
const TCP_RETRY_FOR_MS = 60_000;

/** Syslog over TCP and UDP into the LOGS stream (see the app README for the back-pressure rules). */
@Injectable()
export class SyslogServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('syslog');
  private readonly registry = new Registry();
  private readonly metrics: IngestMetrics;
  private readonly options: SyslogInputOptions;
  private readonly publisher: LogPublisher;
  private tcp?: Server;
  private udp?: UdpSocket;
  private http?: HttpServer;
  private readonly sockets = new Set<Socket>();
  private closing = false;
  /** datagrams received in this turn of the event loop: stored together, as record batches, at its end */
  private udpReceived: IngestRecord[] = [];
  /** the drop counters again as plain numbers, for the health details (/health/ready shows them) */
  private readonly drops: Partial<Record<`${InputName}:${DropReason}`, number>> = {};

  constructor(
    @Inject(INGEST_ENV) private readonly env: IngestEnv,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly health: HealthResponder,
  ) {
    this.publisher = new LogPublisher(nc, { maxInFlight: env.INGEST_MAX_IN_FLIGHT });
    this.metrics = new IngestMetrics(this.registry, () => this.publisher);
    collectDefaultMetrics({ register: this.registry, prefix: 'loglens_ingest_' });
    const port = env.SYSLOG_PORT;
    new Gauge({
      name: 'loglens_ingest_udp_receive_buffer_drops',
      help: 'datagrams the kernel dropped on the syslog UDP socket because its receive buffer was full (senders faster than ingest)',
      registers: [this.registry],
      collect() {
        this.set(udpSocketDrops(port));
      },
    });
    this.options = {
      routing: parseRouting(env.INGEST_WIFI_PROGRAMS, env.INGEST_WIFI_SOURCES),
      sourceBy: env.SYSLOG_SOURCE_BY,
      maxLineBytes: env.INGEST_MAX_LINE_BYTES,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureAnalysisInfrastructure(this.nc);
    const protocols = this.env.SYSLOG_PROTOCOLS.split(',');
    if (protocols.includes('tcp')) await this.listenTcp();
    if (protocols.includes('udp')) await this.listenUdp();
    if (this.env.INGEST_METRICS_PORT) await this.listenMetrics();
    this.health.addDetails('syslog', () => ({
      port: this.env.SYSLOG_PORT,
      protocols,
      connections: this.sockets.size,
      inFlight: this.publisher.inFlight + this.publisher.queued,
      published: this.publisher.counters.published,
      dropped: { ...this.drops },
    }));
    this.logger.log(`syslog on ${this.env.SYSLOG_HOST}:${this.env.SYSLOG_PORT} (${protocols.join(', ')})${this.env.INGEST_METRICS_PORT ? `, metrics on :${this.env.INGEST_METRICS_PORT}/metrics` : ''}`);
  }

  /** Stops listening, then waits for every received line to be stored before NATS is drained. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.udp?.close();
    this.flushUdp();
    await new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve()));
    for (const s of this.sockets) s.end();
    this.http?.close();
    await this.publisher.idle();
    this.publisher.close();
  }

  private listenTcp(): Promise<void> {
    const tcp = (this.tcp = createServer((socket) => this.onConnection(socket)));
    tcp.maxConnections = TCP_MAX_CONNECTIONS;
    return new Promise((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(this.env.SYSLOG_PORT, this.env.SYSLOG_HOST, () => resolve());
    });
  }

  private onConnection(socket: Socket): void {
    const input: InputName = 'syslog_tcp';
    const peer = socket.remoteAddress ?? 'unknown';
    const framer = new SyslogFramer(this.options.maxLineBytes + 2048);
    let pending = 0;
    let paused = false;
    this.sockets.add(socket);
    this.metrics.connections.inc({ input });
    // the frames of one read are stored together: each subject's lines in their order, as record batches (one stored
    // message per batch, not per line, for the stream and for the agents that read it)
    const take = (frames: ReadonlyArray<Parameters<typeof syslogRecord>[0]>) => {
      if (frames.length === 0) return;
      for (const message of this.publisher.batch(frames.map((frame) => ({ record: this.convert(input, frame, peer) })))) {
        pending += message.records;
        void this.publishDurably(message).finally(() => {
          pending -= message.records;
          if (paused && pending <= TCP_LOW_WATER) {
            paused = false;
            socket.resume();
          }
        });
      }
      if (!paused && pending >= TCP_HIGH_WATER) {
        // the kernel's receive buffer fills and TCP's window closes: the sender slows down, nothing is lost
        paused = true;
        socket.pause();
        this.metrics.paused.inc({ input });
      }
    };
    socket.on('data', (chunk: Buffer) => {
      take(framer.push(chunk));
      if (framer.error) {
        this.drop(input, 'framing_error');
        this.logger.warn(`closing syslog connection from ${peer}: ${framer.error}`);
        socket.destroy();
      }
    });
    socket.on('end', () => {
      const { frames, incomplete } = framer.end();
      take(frames);
      if (incomplete) this.drop(input, 'incomplete_frame');
      socket.end();
    });
    socket.on('error', (e) => this.logger.debug?.(`syslog connection from ${peer}: ${e.message}`));
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.metrics.connections.dec({ input });
    });
  }

  private listenUdp(): Promise<void> {
    const input: InputName = 'syslog_udp';
    // a large receive buffer absorbs bursts while publishes catch up (the kernel caps it at net.core.rmem_max)
    const udp = (this.udp = createSocket({ type: this.env.SYSLOG_HOST.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 8 * 1024 * 1024 }));
    udp.on('message', (msg, rinfo) => {
      if (this.udpReceived.length === 0) setImmediate(() => this.flushUdp());
      this.udpReceived.push(this.convert(input, { bytes: msg }, rinfo.address));
    });
    return new Promise((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.env.SYSLOG_PORT, this.env.SYSLOG_HOST, () => resolve());
    });
  }

  /**
   * Stores the datagrams of the last turn of the event loop as record batches (a burst becomes a few messages; a
   * lone datagram, one), or counts them dropped when too many records already wait for room.
   */
  private flushUdp(): void {
    const input: InputName = 'syslog_udp';
    const records = this.udpReceived;
    if (records.length === 0) return;
    this.udpReceived = [];
    for (const message of this.publisher.batch(records.map((record) => ({ record })))) {
      if (this.publisher.queued >= UDP_MAX_QUEUED) {
        this.drop(input, 'backpressure', message.records);
        continue;
      }
      this.publisher.publishMessage(message).then(
        () => this.metrics.published.inc({ input }, message.records),
        () => this.drop(input, 'publish_failed', message.records),
      );
    }
  }

  private listenMetrics(): Promise<void> {
    const http = (this.http = createHttpServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'NOT_FOUND', message: 'only GET /metrics is served here' }));
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (e: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'INTERNAL', message: e.message })),
      );
    }));
    return new Promise((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.env.INGEST_METRICS_PORT, this.env.SYSLOG_HOST, () => resolve());
    });
  }

  private convert(input: InputName, frame: Parameters<typeof syslogRecord>[0], peer: string): IngestRecord {
    const { record, invalidUtf8, truncated } = syslogRecord(frame, peer, this.options);
    this.metrics.received.inc({ input });
    if (invalidUtf8) this.metrics.invalidUtf8.inc({ input });
    if (truncated) this.metrics.truncated.inc({ input });
    return record;
  }

  /** TCP lines have been acknowledged to nobody: retry them (the socket stays paused meanwhile) rather than lose them. */
  private async publishDurably(message: OutgoingMessage): Promise<void> {
    const input: InputName = 'syslog_tcp';
    const started = Date.now();
    for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
      try {
        await this.publisher.publishMessage(message);
        this.metrics.published.inc({ input }, message.records);
        return;
      } catch (e) {
        if (Date.now() - started > TCP_RETRY_FOR_MS || (this.closing && this.nc.isClosed())) {
          this.drop(input, 'publish_failed', message.records);
          this.logger.error(`${message.records} syslog line(s) on ${message.subject} were not stored after ${TCP_RETRY_FOR_MS / 1000} s: ${(e as Error).message}`);
          return;
        }
        this.metrics.retries.inc({ input });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private drop(input: InputName, reason: DropReason, lines = 1): void {
    this.metrics.dropped.inc({ input, reason }, lines);
    this.drops[`${input}:${reason}`] = (this.drops[`${input}:${reason}`] ?? 0) + lines;
  }
}

/** The kernel's drop counter of the UDP sockets bound to `port` (last column of /proc/net/udp{,6}); 0 off Linux. */
function udpSocketDrops(port: number): number {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let drops = 0;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 12 && cols[1].endsWith(hexPort)) drops += Number(cols[cols.length - 1]) || 0;
    }
  }
  return drops;
}
