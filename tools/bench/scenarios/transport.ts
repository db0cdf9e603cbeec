// The bare transport, answered by another process (tools/bench/transport-echo.mjs) through the same client the predict
// rows use: a NATS request/echo and an HTTP POST/echo at each concurrency.
import { CONCURRENCIES, SMALL_FEATURES } from '../lib/bench-models';
import { httpLoad, natsEcho } from '../lib/cells';
import type { Scenario } from '../lib/context';
import { cell, type CellResult, type Row } from '../lib/measure';

export const transport: Scenario = async ({ log, rpc, echo, echoPids }) => {
  const natsEchoAt = new Map<number, CellResult>();
  const httpEchoAt = new Map<number, CellResult>();
  for (const c of CONCURRENCIES) {
    log(`bare NATS / HTTP echo, c=${c}`);
    natsEchoAt.set(c, await natsEcho(rpc, SMALL_FEATURES, c, echoPids));
    httpEchoAt.set(
      c,
      await httpLoad(echo.httpPort, '/', SMALL_FEATURES, c, { echo: echo.child.pid, client: process.pid }),
    );
  }
  const rows: Row[] = [];
  for (const c of CONCURRENCIES) {
    const r = cell(natsEchoAt, c);
    rows.push({
      scenario: 'limit: bare NATS request/echo (separate process)',
      model: '–',
      batching: '–',
      c,
      r,
      echo: r,
    });
  }
  for (const c of CONCURRENCIES) {
    const r = cell(httpEchoAt, c);
    rows.push({
      scenario: 'limit: bare HTTP POST/echo (separate process)',
      model: '–',
      batching: '–',
      c,
      r,
      echo: r,
    });
  }
  return { rows };
};
