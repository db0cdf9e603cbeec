#!/usr/bin/env node
// Health of one LogLens container: the image's HEALTHCHECK and the Kubernetes readiness probe (exec) run it.
//   node /app/docker/healthcheck.mjs [app]        (app defaults to $APP, which the image sets)
// Exit 0 = healthy. Two checks, both real, none invented:
// 1. the process holds an ESTABLISHED TCP connection to the NATS port of NATS_URL (read from /proc/net/tcp{,6} of
//    the container's network namespace). Every service talks only over NATS, so without it nothing it does works;
//    while the nats client reconnects, the check fails and the pod leaves rotation until it is back.
// 2. the HTTP endpoint the app already serves, where it has one: the gateway's /health/live and the ingest app's
//    /metrics (INGEST_METRICS_PORT, 0 = none). registry, inference-worker, agent-base, agent-wifi and trainer open
//    no HTTP port: they answer health over NATS only (the gateway's /health/ready gathers those replies).
// Plain Node, no dependencies: it runs in the runtime image as it is.
import { readFileSync } from 'node:fs';

const TIMEOUT_MS = 3000;

/** The port of the NATS URL a service connects to (the nats client keeps that port when it moves between the cluster's servers). */
export function natsPort(url = 'nats://127.0.0.1:4222') {
  try {
    const port = new URL(url.split(',')[0].trim()).port;
    return port ? Number(port) : 4222;
  } catch {
    return 4222;
  }
}

/** Whether a socket of this network namespace has an ESTABLISHED connection to remote port `port`. */
export function hasEstablishedConnection(port, tables = readTcpTables()) {
  for (const text of tables) {
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local_address rem_address st …; st 01 = ESTABLISHED; addresses are HEXIP:HEXPORT
      if (cols.length < 4 || cols[3] !== '01') continue;
      const remotePort = parseInt(cols[2].split(':').pop() ?? '', 16);
      if (remotePort === port) return true;
    }
  }
  return false;
}

function readTcpTables() {
  const out = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      out.push(readFileSync(file, 'utf8'));
    } catch {
      // no IPv6 in this namespace
    }
  }
  return out;
}

/** The HTTP endpoint an app serves itself, or null when it has none. */
export function httpEndpoint(app, env = process.env) {
  if (app === 'gateway') return { port: Number(env.GATEWAY_PORT || 3000), path: '/health/live' };
  if (app === 'ingest') {
    const port = Number(env.INGEST_METRICS_PORT ?? 9465);
    return port > 0 ? { port, path: '/metrics' } : null;
  }
  return null;
}

/** Runs the checks; resolves to a list of problems (empty = healthy). */
export async function check(app, env = process.env) {
  const problems = [];
  const port = natsPort(env.NATS_URL);
  if (!hasEstablishedConnection(port))
    problems.push(
      `no established connection to NATS (port ${port} of ${env.NATS_URL ?? 'nats://127.0.0.1:4222'})`,
    );
  const endpoint = httpEndpoint(app, env);
  if (endpoint) {
    const url = `http://127.0.0.1:${endpoint.port}${endpoint.path}`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      await res.arrayBuffer();
      if (!res.ok) problems.push(`${url} answered ${res.status}`);
    } catch (e) {
      problems.push(`${url}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const app = process.argv[2] || process.env.APP || '';
  const problems = await check(app);
  if (problems.length > 0) {
    console.error(`${app || 'service'} unhealthy: ${problems.join('; ')}`);
    process.exit(1);
  }
  console.log(`${app || 'service'} healthy`);
}
