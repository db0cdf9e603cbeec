// HTTP baselines for the gateway rows of tools/bench/inference.ts, run as their own process like a service would be:
//   - a bare Fastify echo: every POST / answered with its body, parsed as JSON and serialised back (what any JSON
//     route on Fastify does, nothing of LogLens);
//   - the bare relay: a plain node:http server that forwards each POST body with nats.js `request` to <subject> (the
//     echo process, tools/bench/transport-echo.mjs) and answers with the reply — the gateway's hops with nothing of
//     LogLens in them, as a new user would write it.
// Each runs in a process of its own (the third argument), so that the CPU per request of each is its own. Prints one
// JSON line {ready, port} when listening.
// Usage: node tools/bench/http-baselines.mjs <nats-url> <subject> fastify|relay
import { connect } from 'nats';
import { createServer } from 'node:http';
import Fastify from 'fastify';

const [url, subject, which] = process.argv.slice(2);
if (!url || !subject || (which !== 'fastify' && which !== 'relay')) {
  console.error('usage: http-baselines.mjs <nats-url> <subject> fastify|relay');
  process.exit(2);
}
// never outlive the bench: exit when the parent is gone, and after 15 minutes whatever happens
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
setTimeout(() => process.exit(0), 15 * 60_000).unref();

if (which === 'fastify') {
  const app = Fastify({ logger: false, keepAliveTimeout: 30_000 });
  app.post('/', async (request) => request.body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ ready: true, port: app.server.address().port }));
  process.on('SIGTERM', () => void app.close().finally(() => process.exit(0)));
} else {
  const nc = await connect({ servers: url, name: 'bench-relay' });
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      nc.request(subject, Buffer.concat(chunks), { timeout: 10_000 }).then(
        (msg) => {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': msg.data.length });
          res.end(msg.data);
        },
        (e) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(String(e?.message ?? e));
        },
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ ready: true, port: server.address().port })));
  process.on('SIGTERM', () => {
    server.close();
    void nc.close().finally(() => process.exit(0));
  });
}
