import { createServer } from 'node:net';
import { freePort, waitForPort } from './ports';

describe('freePort', () => {
  it('gives the preferred port when it is free and another one when it is taken', async () => {
    const preferred = await freePort();
    expect(await freePort(preferred)).toBe(preferred);
    const srv = createServer().listen(preferred, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    try {
      const other = await freePort(preferred);
      expect(other).not.toBe(preferred);
      await waitForPort(preferred, 1000);
    } finally {
      srv.close();
    }
  });

  it('gives up waiting for a port nobody listens on', async () => {
    const port = await freePort();
    await expect(waitForPort(port, 300)).rejects.toThrow(/nothing listens/);
  });
});
