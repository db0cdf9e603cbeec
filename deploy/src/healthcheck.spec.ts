import { execFile } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';

// docker/healthcheck.mjs is the image's HEALTHCHECK and the pods' readiness probe. Here it runs as the probe runs
// it (its own node), against real sockets on free ports: a TCP listener stands for NATS (the check reads the TCP
// table, not the protocol) and an HTTP server for the gateway's /health/live.
const script = path.resolve(__dirname, '../../docker/healthcheck.mjs');

/** Runs the probe without blocking this process, whose servers must keep answering meanwhile. */
function probe(env: Record<string, string>, app: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [script, app],
      { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } },
      (error, stdout, stderr) =>
        resolve({
          status: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          output: `${stdout}${stderr}`,
        }),
    );
  });
}

function listen<T extends Server | HttpServer>(server: T): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

describe('container health check (docker/healthcheck.mjs)', () => {
  let nats: Server;
  let natsPort: number;
  const accepted: Socket[] = [];
  let http: HttpServer;
  let httpPort: number;
  let live = 200;

  beforeAll(async () => {
    nats = createServer((s) => accepted.push(s));
    natsPort = await listen(nats);
    http = createHttpServer((req, res) => res.writeHead(req.url === '/health/live' ? live : 404).end('{}'));
    httpPort = await listen(http);
  });
  afterAll(async () => {
    for (const s of accepted) s.destroy();
    await new Promise((r) => nats.close(r));
    await new Promise((r) => http.close(r));
  });

  async function connected<T>(fn: () => Promise<T>): Promise<T> {
    const client = connect(natsPort, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    try {
      return await fn();
    } finally {
      client.destroy();
    }
  }

  it('fails a NATS-only service that holds no connection to NATS, and names the port', async () => {
    const r = await probe({ NATS_URL: `nats://127.0.0.1:${natsPort}` }, 'registry');
    expect(r.status).toBe(1);
    expect(r.output).toContain(`no established connection to NATS (port ${natsPort}`);
  });

  it('passes a NATS-only service while it is connected to NATS', async () => {
    const r = await connected(() => probe({ NATS_URL: `nats://127.0.0.1:${natsPort}` }, 'registry'));
    expect(r.output).toContain('registry healthy');
    expect(r.status).toBe(0);
  });

  it('checks the gateway over HTTP too: connected to NATS but /health/live failing is unhealthy', async () => {
    const env = { NATS_URL: `nats://127.0.0.1:${natsPort}`, GATEWAY_PORT: String(httpPort) };
    live = 503;
    const down = await connected(() => probe(env, 'gateway'));
    expect(down.status).toBe(1);
    expect(down.output).toContain(`http://127.0.0.1:${httpPort}/health/live answered 503`);
    live = 200;
    const up = await connected(() => probe(env, 'gateway'));
    expect(up.status).toBe(0);
  });
});
