import { createServer } from 'node:net';

/** Resolves to `preferred` when it is free on 127.0.0.1, otherwise to a port the OS picks. */
export async function freePort(preferred = 0): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.unref();
      srv.once('error', reject);
      srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
        const addr = srv.address();
        const got = typeof addr === 'object' && addr ? addr.port : port;
        srv.close(() => resolve(got));
      });
    });
  if (preferred > 0) {
    try {
      return await tryListen(preferred);
    } catch {
      // taken, e.g. by a system nats-server: fall through to any free port
    }
  }
  return tryListen(0);
}

/** Waits until something accepts TCP connections on host:port. */
export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ port, host });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
