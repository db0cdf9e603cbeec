import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from 'express';
import type { NatsConnection } from 'nats';
import { LogLensError, type PredictReply, type PredictRequest } from '@loglens/contracts';
import { MetricsService } from '../metrics/metrics.service';
import type { ModelsGatewayService } from './models.gateway-service';
import { PREDICT_ROUTE, predictFastPath } from './predict-fast-path';

const reply: PredictReply = {
  modelVersion: 'm@1',
  scores: [0.25],
  isAnomaly: [false],
  threshold: 0.5,
  outputs: { score: { dims: [1, 1], data: [0.25] } },
  timings: { queueMs: 0.01, computeMs: 0.1 },
  worker: 'w1',
};

/** The fast path on a real HTTP server; whatever it passes on is answered 418 "nest" (the Nest route's stand-in). */
async function serve(predict: (req: PredictRequest) => Promise<PredictReply>) {
  const metrics = new MetricsService({} as NatsConnection);
  const forwarded: PredictRequest[] = [];
  const handler = predictFastPath({
    keys: { verify: (k: string) => (k === 'viewer-key-0001' ? { id: 'bootstrap:00000000', name: 'viewer', role: 'viewer' as const, fingerprint: '00000000' } : undefined) },
    models: { predict: (r: PredictRequest) => (forwarded.push(r), predict(r)) } as unknown as ModelsGatewayService,
    metrics,
  });
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      (req as Request).body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
      handler(req as Request, res as Response, () => res.writeHead(418).end('nest'));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PREDICT_ROUTE}`;
  const post = (body: unknown, headers: Record<string, string> = { 'x-api-key': 'viewer-key-0001' }) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { post, forwarded, metrics, close: () => new Promise((r) => server.close(r)) };
}

describe('predictFastPath', () => {
  it('answers a valid request with the workers\' reply and counts it under the route', async () => {
    const s = await serve(async () => reply);
    try {
      const res = await s.post({ model: 'm', rows: [[1, 2]] });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual(reply);
      expect(s.forwarded).toEqual([{ model: 'm', rows: [[1, 2]] }]);
      const text = await s.metrics.registry.metrics();
      expect(text).toContain(`loglens_http_requests_total{method="POST",route="${PREDICT_ROUTE}",status="200"} 1`);
      expect(text).toContain(`loglens_http_request_duration_seconds_count{method="POST",route="${PREDICT_ROUTE}"} 1`);
    } finally {
      await s.close();
    }
  });

  it('maps a typed error from the pool to its status and JSON body', async () => {
    const s = await serve(async () => {
      throw new LogLensError('NOT_FOUND', 'model "m" has no serving version');
    });
    try {
      const res = await s.post({ model: 'm', rows: [[1]] });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ code: 'NOT_FOUND', message: 'model "m" has no serving version' });
    } finally {
      await s.close();
    }
  });

  it.each([
    ['no key', { model: 'm', rows: [[1]] }, {}],
    ['an unknown key', { model: 'm', rows: [[1]] }, { 'x-api-key': 'not-a-key-0000' }],
    ['no rows', { model: 'm', rows: [] }, undefined],
    ['an unknown property', { model: 'm', rows: [[1]], extra: true }, undefined],
    ['a body that is not an object', [1, 2], undefined],
    // the agents' flag: a client may not switch the workers' drift profiling off (the Nest DTO refuses it with a 400)
    ['profiled: true', { model: 'm', rows: [[1]], profiled: true }, undefined],
    ['profiled: null', { model: 'm', rows: [[1]], profiled: null }, undefined],
  ])('leaves a request with %s to the Nest route (one source for refusals)', async (_what, body, headers) => {
    const s = await serve(async () => reply);
    try {
      const res = await s.post(body, headers);
      expect(res.status).toBe(418);
      expect(s.forwarded).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
