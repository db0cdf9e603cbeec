import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLensClient } from './client';
import { LogLensApiError, LogLensUnreachableError } from './errors';
import { routes } from './routes';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

async function serve(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

describe('LogLensClient', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  });

  it('retries a GET through 503s and sends the key in x-api-key', async () => {
    let calls = 0;
    const keys: unknown[] = [];
    const s = await serve((req, res) => {
      calls++;
      keys.push(req.headers['x-api-key']);
      if (calls < 3) json(res, 503, { code: 'UNAVAILABLE', message: 'busy' });
      else json(res, 200, { models: [] });
    });
    server = s.server;
    const client = new LogLensClient({ baseUrl: s.url, apiKey: 'k1', backoffMs: 1 });
    await expect(client.listModels()).resolves.toEqual({ models: [] });
    expect(calls).toBe(3);
    expect(keys).toEqual(['k1', 'k1', 'k1']);
  });

  it('does not retry a POST and throws LogLensApiError with the status and the JSON error body', async () => {
    let calls = 0;
    const s = await serve((_req, res) => {
      calls++;
      json(res, 503, { code: 'UNAVAILABLE', message: 'no worker' });
    });
    server = s.server;
    const client = new LogLensClient({ baseUrl: s.url, backoffMs: 1 });
    const err = await client.predict({ model: 'm', rows: [[1]] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LogLensApiError);
    expect((err as LogLensApiError).status).toBe(503);
    expect((err as LogLensApiError).body).toEqual({ code: 'UNAVAILABLE', message: 'no worker' });
    expect(calls).toBe(1);
  });

  it('throws LogLensApiError at once on a 4xx, even for a GET', async () => {
    let calls = 0;
    const s = await serve((_req, res) => {
      calls++;
      json(res, 404, { code: 'NOT_FOUND', message: 'no model "x"' });
    });
    server = s.server;
    const err = await new LogLensClient({ baseUrl: s.url, backoffMs: 1 }).getVersion('x@1').catch((e: unknown) => e);
    expect((err as LogLensApiError).status).toBe(404);
    expect((err as LogLensApiError).code).toBe('NOT_FOUND');
    expect(calls).toBe(1);
  });

  it('reports an unreachable gateway as LogLensUnreachableError after its retries', async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    await new Promise((resolve) => s.server.close(resolve));
    const err = await new LogLensClient({ baseUrl: url, backoffMs: 1, retries: 1 }).listModels().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LogLensUnreachableError);
  });

  it('streams a multipart upload, reporting progress up to the whole body', async () => {
    let received: Buffer = Buffer.alloc(0);
    let contentType = '';
    const s = await serve((req, res, body) => {
      received = body;
      contentType = String(req.headers['content-type']);
      json(res, 201, { version: 'm@1' });
    });
    server = s.server;
    const model = new Uint8Array(200_000).fill(7);
    const seen: number[] = [];
    let total = 0;
    const reply = await new LogLensClient({ baseUrl: s.url }).upload('m', {
      model,
      metadata: { task: 'anomaly' },
      chunkBytes: 16 * 1024,
      onProgress: (p) => {
        seen.push(p.sent);
        total = p.total;
      },
    });
    expect(reply).toEqual({ version: 'm@1' });
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(received.length).toBe(total);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen[seen.length - 1]).toBe(total);
    const text = received.toString('latin1');
    expect(text).toContain('name="model"; filename="model.onnx"');
    expect(text).toContain('{"task":"anomaly"}');
  });

  it('yields server-sent events with their type and parsed data, the key in a header', async () => {
    let key: unknown;
    let url: string | undefined;
    const s = await serve((req, res) => {
      key = req.headers['x-api-key'];
      url = req.url;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': hello\n\nevent: version-deployed\ndata: {"version":"m@2"}\n\n');
      res.write('event: heartbeat\r\ndata: {}\r\n\r\nevent: split\ndata: line1\n');
      res.end('data: line2\n\n');
    });
    server = s.server;
    const got: unknown[] = [];
    for await (const e of new LogLensClient({ baseUrl: s.url, apiKey: 'secret' }).events()) got.push(e);
    expect(got).toEqual([
      { type: 'version-deployed', data: { version: 'm@2' } },
      { type: 'heartbeat', data: {} },
      { type: 'split', data: 'line1\nline2' },
    ]);
    expect(key).toBe('secret');
    expect(url).toBe('/api/v1/events');
  });

  it('answers the readiness body of a 503 (not ready) instead of throwing, and throws on other failures', async () => {
    let status = 503;
    const s = await serve((_req, res) => json(res, status, status === 503 ? { status: 'not ready' } : { code: 'INTERNAL', message: 'boom' }));
    server = s.server;
    const client = new LogLensClient({ baseUrl: s.url, backoffMs: 1, retries: 0 });
    await expect(client.readiness()).resolves.toEqual({ status: 'not ready' });
    status = 500;
    const err = await client.readiness().catch((e: unknown) => e);
    expect((err as LogLensApiError).status).toBe(500);
    expect((err as LogLensApiError).raw).toEqual({ code: 'INTERNAL', message: 'boom' });
  });

  it('sends a route with a Blob file part as multipart, the text fields as they are', async () => {
    let text = '';
    let url = '';
    const s = await serve((req, res, body) => {
      text = body.toString('latin1');
      url = String(req.url);
      json(res, 202, { id: 'job-1' });
    });
    server = s.server;
    const client = new LogLensClient({ baseUrl: s.url });
    const reply = await client.send(routes.sources.trainFromFile('m', { data: new Blob(['line one\nline two\n']), filename: 'app.log' }, { sources: ['a', 'b'], windowMs: 60000 }));
    expect(reply).toEqual({ id: 'job-1' });
    expect(url).toBe('/model-management/models/m/train');
    expect(text).toContain('name="logs"; filename="app.log"');
    expect(text).toContain('line one\nline two\n');
    expect(text).toMatch(/name="sources"\r\n\r\na,b\r\n/);
    expect(text).toMatch(/name="windowMs"\r\n\r\n60000\r\n/);
  });

  it('retries an idempotent route (PUT) but not a POST route', async () => {
    const seen: string[] = [];
    const s = await serve((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      json(res, 503, { code: 'UNAVAILABLE', message: 'busy' });
    });
    server = s.server;
    const client = new LogLensClient({ baseUrl: s.url, backoffMs: 1, retries: 2 });
    await expect(client.bindSource('hdfs', 'm')).rejects.toBeInstanceOf(LogLensApiError);
    await expect(client.validate('m@1')).rejects.toBeInstanceOf(LogLensApiError);
    expect(seen).toEqual(['PUT /model-management/sources/hdfs', 'PUT /model-management/sources/hdfs', 'PUT /model-management/sources/hdfs', 'POST /model-management/m%401/validate']);
  });
});

