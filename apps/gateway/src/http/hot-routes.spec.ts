import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { LogLensError } from '@loglens/contracts';
import { hotRoute, hotRoutesHook } from './hot-routes';

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
    hotRoutesHook(
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
    ),
  );
  app.post('/hot/:name', async (_request, reply) => reply.code(418).send('nest'));
  app.post('/cold', async (_request, reply) => reply.code(418).send('nest'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const post = (path: string, body: unknown, key = 'good-key-0001') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
  return { app, post, observed };
}

describe('hotRoutesHook', () => {
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
