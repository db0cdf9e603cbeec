// The bare-transport baseline for tools/bench/inference.ts, run as its own process like a service would be: answers
// every request on <subject> with the request's own bytes (NATS), and every POST with its body (HTTP on 127.0.0.1).
// No parsing, no validation: what is left is the hop itself. Prints one JSON line {ready, httpPort} when listening.
// Usage: node tools/bench/transport-echo.mjs <nats-url> <subject>
import { connect } from 'nats';
import { createServer } from 'node:http';

const [url, subject] = process.argv.slice(2);
if (!url || !subject) {
  console.error('usage: transport-echo.mjs <nats-url> <subject>');
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

const nc = await connect({ servers: url, name: 'bench-echo' });
nc.subscribe(subject, {
  callback: (err, msg) => {
    if (!err) msg.respond(msg.data);
  },
});
await nc.flush();

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ ready: true, httpPort: server.address().port }));
});

process.on('SIGTERM', () => {
  server.close();
  void nc.close().finally(() => process.exit(0));
});
