import { json } from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { LogLensError } from '@loglens/contracts';
import { hotRoute, hotRoutes, replayRequest, strictJson } from './hot-routes';
import { verifyJsonDepth } from './json-depth';

/** A real Fastify server: the hook on its preHandler, a route that answers 418 "nest" (the Nest route's stand-in). */
async function serve(handle: (body: { n: number }) => Promise<unknown>) {
  const app: FastifyInstance = Fastify();
  const observed: string[] = [];
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.headers['x-api-key'] === 'good-key-0001') Object.assign(request, { principal: { id: 'k', name: 'k', role: 'viewer', fingerprint: '0' } });
    done();
  });
  app.addHook(
    'preHandler',
    // the preHandler alone: bodies read by the usual parsers
    hotRoutes(
      [
        hotRoute({
          url: '/hot/:name',
          accept: (request) => {
            const body = request.body as { n?: unknown };
            return typeof body?.n === 'number' ? { n: body.n } : undefined;
          },
          handle: (body, _req, reply) => {
            reply.header('x-handled', 'hook');
            return handle(body);
          },
        }),
      ],
      { observeHttp: (method: string, route: string, _res: ServerResponse) => void observed.push(`${method} ${route}`) },
    ).preHandler,
  );
  app.post('/hot/:name', async (_request, reply) => reply.code(418).send('nest'));
  app.post('/cold', async (_request, reply) => reply.code(418).send('nest'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const post = (path: string, body: unknown, key = 'good-key-0001') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
  return { app, post, observed };
}

describe('hotRoutes: preHandler', () => {
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  afterEach(async () => {
    await server?.app.close();
    server = undefined;
  });

  it('answers an accepted request with the handler, 200 JSON, its headers and the HTTP metrics', async () => {
    server = await serve(async (body) => ({ doubled: body.n * 2 }));
    const res = await server.post('/hot/x', { n: 21 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-handled')).toBe('hook');
    expect(await res.json()).toEqual({ doubled: 42 });
    expect(server.observed).toEqual(['POST /hot/:name']);
  });

  it('leaves to the route what it does not accept, requests without a principal, and other routes', async () => {
    server = await serve(async () => ({ never: true }));
    for (const [path, body, key] of [
      ['/hot/x', { n: 'not a number' }, 'good-key-0001'],
      ['/hot/x', { n: 1 }, 'bad-key'],
      ['/cold', { n: 1 }, 'good-key-0001'],
    ] as const) {
      const res = await server.post(path, body, key);
      expect({ path, key, status: res.status, text: await res.text() }).toEqual({ path, key, status: 418, text: 'nest' });
    }
    expect(server.observed).toEqual([]);
  });

  it('maps errors as the error filter does: status of the code, {code, message}', async () => {
    server = await serve(async () => {
      throw new LogLensError('NOT_FOUND', 'no model "x"');
    });
    const res = await server.post('/hot/x', { n: 1 });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'NOT_FOUND', message: 'no model "x"' });
  });
});

/**
 * A real Fastify server as the gateway wires it: hotRoutes' onRequest after the key check, express.json as the one
 * content-type parser (taking what onRequest left), the preHandler, and a route answering 418 with the body it got.
 */
async function serveEarly(handle: (body: { n: number }) => Promise<unknown>) {
  const app: FastifyInstance = Fastify();
  const observed: string[] = [];
  const hot = hotRoutes(
    [
      hotRoute({
        url: '/hot/:name',
        accept: (request) => {
          const body = request.body as { n?: unknown };
          return typeof body?.n === 'number' ? { n: body.n } : undefined;
        },
        handle: (body, _req, reply) => {
          reply.header('x-handled', 'hook');
          return handle(body);
        },
      }),
    ],
    { observeHttp: (method: string, route: string, _res: ServerResponse) => void observed.push(`${method} ${route}`) },
    { limitBytes: 1024, maxDepth: 4 },
  );
  app.addHook('onRequest', (request, reply, done) => {
    if (request.headers['x-api-key'] === 'good-key-0001') Object.assign(request, { principal: { id: 'k', name: 'k', role: 'viewer', fingerprint: '0' } });
    hot.onRequest(request, reply, done);
  });
  const jsonBody = json({ limit: 1024, verify: verifyJsonDepth(4) });
  app.removeAllContentTypeParsers();
  const parsers = { runs: 0 };
  app.addContentTypeParser('*', (request, _payload, done) => {
    parsers.runs++;
    const early = hot.earlyBody(request.raw);
    if (early && 'body' in early) return done(null, early.body);
    const req = early ? replayRequest(request.raw, early.bytes) : (request.raw as IncomingMessage & { body?: unknown });
    jsonBody(req as never, {} as never, (err?: unknown) => (err ? done(err as Error) : done(null, req.body)));
  });
  app.addHook('preHandler', hot.preHandler);
  app.setErrorHandler((e: Error & { status?: number }, _request, reply) => void reply.code(e.status ?? 500).send({ message: e.message }));
  app.post('/hot/:name', async (request, reply) => reply.code(418).send({ route: request.body ?? null }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'good-key-0001', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  return { app, post, observed, parsers };
}

describe('hotRoutes: the body read on onRequest', () => {
  let server: Awaited<ReturnType<typeof serveEarly>> | undefined;
  afterEach(async () => {
    await server?.app.close();
    server = undefined;
  });

  it('answers a plain JSON body there, with the handler and the metrics', async () => {
    server = await serveEarly(async (body) => ({ doubled: body.n * 2 }));
    const res = await server.post('/hot/x', JSON.stringify({ n: 21 }), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-handled')).toBe('hook');
    expect(await res.json()).toEqual({ doubled: 42 });
    expect(server.observed).toEqual(['POST /hot/:name']);
    // answered before Fastify's body parsing
    expect(server.parsers.runs).toBe(0);
  });

  it('hands what accept declines to the route with its parsed body', async () => {
    server = await serveEarly(async () => ({ never: true }));
    const res = await server.post('/hot/x', JSON.stringify({ n: 'one' }));
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 418, body: { route: { n: 'one' } } });
    expect(server.observed).toEqual([]);
  });

  it("leaves other bodies to body-parser, whose errors are unchanged: syntax, strictness, depth, size, BOM, gzip, binary", async () => {
    server = await serveEarly(async (body) => ({ doubled: body.n * 2 }));
    const cases: [string, string | Buffer, Record<string, string>][] = [
      ['syntax', '{"n": 1', {}],
      ['not an object or array', '"just a string"', {}],
      ['too deep', '{"n": 1, "x": [[[[[1]]]]]}', {}],
      ['over the limit', JSON.stringify({ n: 1, pad: 'x'.repeat(2000) }), {}],
      ['BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"n": 2}')]), {}],
      ['gzip', gzipSync(Buffer.from('{"n": 3}')), { 'content-encoding': 'gzip' }],
      ['binary tensors', '{"n": 4}', { 'inference-header-content-length': '8' }],
    ];
    const got = [];
    for (const [what, body, headers] of cases) {
      const res = await server.post('/hot/x', body, headers);
      got.push([what, res.status, await res.json()]);
    }
    expect(got).toEqual([
      ['syntax', 400, { message: expect.stringMatching(/JSON/) }],
      ['not an object or array', 400, { message: expect.stringMatching(/Unexpected token|is not valid JSON/) }],
      ['too deep', 400, { message: 'request body is nested deeper than 4 levels of arrays/objects (JSON_MAX_DEPTH)' }],
      ['over the limit', 413, { message: 'request entity too large' }],
      // what body-parser accepts it takes: the BOM stripped, the body inflated (then answered by the preHandler)
      ['BOM', 200, { doubled: 4 }],
      ['gzip', 200, { doubled: 6 }],
      ['binary tensors', 200, { doubled: 8 }],
    ]);
    expect(server.parsers.runs).toBe(cases.length);
  });
});

describe('strictJson', () => {
  it('parses what strict express.json takes alike, and nothing else', () => {
    expect(strictJson(Buffer.from(' \n{"a": [1, "]"]}'), 4)).toEqual({ a: [1, ']'] });
    expect(strictJson(Buffer.from('[1]'), 4)).toEqual([1]);
    for (const text of ['', '   ', '1', '"s"', 'null', '{"a": 1', '[[[[[1]]]]]']) expect(strictJson(Buffer.from(text), 4)).toBeUndefined();
  });
});
