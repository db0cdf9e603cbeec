// Gateway predict over HTTP at c=1/16/64 on the given adapter, each cell paired with baselines measured just before it
// at the same concurrency: the bare node:http echo, a bare Fastify echo, and the bare relay (node:http → nats.js
// `request` → the echo process), the same hops with nothing of LogLens in them (tools/bench/http-baselines.mjs).
import path from 'node:path';
import { freePort, waitForPort } from '@loglens/dev-infra';
import { API_KEY, CONCURRENCIES, DEFAULTS, SMALL_FEATURES } from '../lib/bench-models';
import { httpLoad, natsEcho } from '../lib/cells';
import type { Scenario } from '../lib/context';
import { ms, type Row } from '../lib/measure';
import { root, spawnTracked, stopService } from '../lib/processes';

/** `profDir`: the gateway runs under node --cpu-prof and writes its V8 CPU profile there when it stops */
export const gateway =
  (adapter: 'fastify' | 'express', profDir?: string): Scenario =>
  async (ctx) => {
    const { log, nc, natsUrl, natsPid, rpc, echo, worker } = ctx;
    const baselines = await ctx.baselines();
    const rows: Row[] = [];
    const gatewayPort = await freePort();
    const service = await spawnTracked('gateway', nc, {
      NATS_URL: natsUrl,
      API_KEYS: `viewer:${API_KEY}`,
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_HTTP_ADAPTER: adapter,
      ADMIN_DIST: path.join(root, 'tmp/bench/no-admin'),
    }, profDir ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${profDir}`] : []);
    await waitForPort(gatewayPort, 30_000);
    await httpLoad(gatewayPort, '/api/v1/models/predict', SMALL_FEATURES, 16, {}, { 'x-api-key': API_KEY });
    const client = process.pid;
    for (const c of CONCURRENCIES) {
      log(`gateway (${adapter}) HTTP predict and its baselines, c=${c}`);
      const httpEcho = await httpLoad(echo.httpPort, '/', SMALL_FEATURES, c, {
        echo: echo.child.pid,
        client,
      });
      const fastifyEcho = await httpLoad(baselines.fastify.port, '/', SMALL_FEATURES, c, {
        fastify: baselines.fastify.child.pid,
        client,
      });
      const relay = await httpLoad(baselines.relay.port, '/', SMALL_FEATURES, c, {
        relay: baselines.relay.child.pid,
        echo: echo.child.pid,
        nats: natsPid,
        client,
      });
      const natsPair = c === 1 ? await natsEcho(rpc, SMALL_FEATURES, 1, {}) : undefined;
      const r = await httpLoad(
        gatewayPort,
        '/api/v1/models/predict',
        SMALL_FEATURES,
        c,
        { gateway: service.process.pid, worker: worker.process.pid, nats: natsPid, client },
        { 'x-api-key': API_KEY },
      );
      const hops = natsPair
        ? `; p50 ${(r.p50 / (httpEcho.p50 + natsPair.p50)).toFixed(2)}× bare HTTP + NATS echo p50s (${ms(httpEcho.p50)} + ${ms(natsPair.p50)} ms)`
        : '';
      rows.push(
        {
          scenario: 'limit: bare HTTP POST/echo, node:http (pair of the row below)',
          model: '–',
          batching: '–',
          c,
          r: httpEcho,
          echo: httpEcho,
        },
        {
          scenario: 'limit: bare Fastify POST/echo (JSON parsed and serialised)',
          model: '–',
          batching: '–',
          c,
          r: fastifyEcho,
          echo: httpEcho,
        },
        {
          scenario: 'bare relay: node:http → nats.js request → echo process',
          model: '–',
          batching: '–',
          c,
          r: relay,
          echo: httpEcho,
        },
        {
          scenario: `LogLens predict via gateway on ${adapter === 'fastify' ? 'Fastify' : 'Express'} (HTTP → NATS)`,
          model: 'small',
          batching: DEFAULTS,
          c,
          r,
          echo: httpEcho,
          note: `${(r.rps / fastifyEcho.rps).toFixed(2)}× the bare Fastify echo, ${(r.rps / relay.rps).toFixed(2)}× the bare relay${hops}`,
        },
      );
    }
    await stopService(service);
    return { rows };
  };
