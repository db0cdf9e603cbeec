import { existsSync } from 'node:fs';
import path from 'node:path';
import { connect, headers, StorageType, type NatsConnection } from 'nats';
import { LogLensError, NAMESPACE, type RpcSubject } from '@loglens/contracts';
import { natsConnectOptions } from './nats-connection';
import { RpcClient } from './rpc-client';

/** The integration setup's NATS with the operator's credential (libs/testing's connectTestNats; it depends on this lib). */
function connectTestNats(name: string, principal = 'ops'): Promise<NatsConnection> {
  const dir = process.env['LOGLENS_NATS_CREDENTIALS'];
  const file = dir ? path.join(dir, `${principal}.nk`) : undefined;
  const env = file && existsSync(file) ? { NATS_NKEY_FILE: file } : {};
  return connect({ ...natsConnectOptions(principal, env), servers: process.env['NATS_URL'], name });
}

type Echo = RpcSubject<{ n: number; fail?: boolean; silent?: boolean }, { n: number; seenId: string }>;

/** RpcClient's own reply inbox against a real nats-server: correlation, and each failure keeping its error code. */
describe('RpcClient over one muxed reply inbox', () => {
  let service: NatsConnection;
  let caller: NatsConnection;
  const subject = `${NAMESPACE}.rpc-client-spec.${Date.now().toString(36)}` as Echo;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();

  beforeAll(async () => {
    service = await connectTestNats('rpc-client-spec-service');
    caller = await connectTestNats('rpc-client-spec-caller');
    // answers in the Nest envelope, in reverse order of arrival within each batch of ten, so replies cross
    let held: Array<() => void> = [];
    service.subscribe(subject, {
      callback: (_err, m) => {
        const req = JSON.parse(decoder.decode(m.data)) as { id: string; data: { n: number; fail?: boolean; silent?: boolean } };
        if (req.data.silent) return;
        const body = req.data.fail
          ? { err: new LogLensError('CONFLICT', `refused ${req.data.n}`).toBody(), id: req.id }
          : { response: { n: req.data.n, seenId: req.id }, id: req.id };
        held.push(() => m.respond(encoder.encode(JSON.stringify(body))));
        if (held.length === 10 || req.data.fail) {
          const now = held.reverse();
          held = [];
          now.forEach((f) => f());
        }
      },
    });
    await service.flush();
  });

  afterAll(async () => {
    await caller?.close();
    await service?.close();
  });

  it('gives each of 200 concurrent callers its own reply, though the replies arrive out of order', async () => {
    const rpc = new RpcClient(caller, 5000);
    const replies = await Promise.all(Array.from({ length: 200 }, (_, n) => rpc.call(subject, { n })));
    expect(replies.map((r) => r.n)).toEqual(Array.from({ length: 200 }, (_, n) => n));
    expect(new Set(replies.map((r) => r.seenId)).size).toBe(200);
  });

  it("passes the service's typed error through, TIMEOUT for a silent service and UNAVAILABLE when nobody listens", async () => {
    const rpc = new RpcClient(caller, 5000);
    await expect(rpc.call(subject, { n: 1, fail: true })).rejects.toMatchObject({ code: 'CONFLICT', message: 'refused 1' });
    await expect(rpc.call(subject, { n: 2, silent: true }, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    await expect(rpc.call(`${subject}.nobody` as Echo, { n: 3 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    // the inbox still serves after the failures
    await expect(Promise.all(Array.from({ length: 10 }, (_, n) => rpc.call(subject, { n })))).resolves.toHaveLength(10);
  });

  it('callBytes sends a payload as it is and returns the reply bytes as they came; TIMEOUT and UNAVAILABLE as call', async () => {
    const raw = `${subject}.bytes` as Echo;
    const sub = service.subscribe(raw, { callback: (_err, m) => m.respond(new Uint8Array([...m.data].reverse())) });
    await service.flush();
    try {
      const rpc = new RpcClient(caller);
      const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => rpc.callBytes(raw, new Uint8Array([i, 0, 255]))));
      replies.forEach((r, i) => expect(Array.from(r)).toEqual([255, 0, i]));
      await expect(rpc.callBytes(`${subject}.nobody` as Echo, new Uint8Array(1))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await expect(rpc.callBytes(subject, encoder.encode(JSON.stringify({ id: 'x', data: { n: 1, silent: true } })), { timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    } finally {
      sub.unsubscribe();
    }
  });

  it('stores a message in its stream once per message id, and says why when no stream takes it or JetStream refuses it', async () => {
    const run = Date.now().toString(36);
    const stream = `RPCSTORE_${run}`;
    const to = `${NAMESPACE}.rpcstore${run}.a`;
    const jsm = await caller.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${NAMESPACE}.rpcstore${run}.>`], storage: StorageType.Memory });
    try {
      const rpc = new RpcClient(caller, 5000);
      const withId = (id: string, more: Record<string, string> = {}) => {
        const h = headers();
        h.set('Nats-Msg-Id', id);
        for (const [k, v] of Object.entries(more)) h.set(k, v);
        return h;
      };
      await Promise.all(Array.from({ length: 50 }, (_, i) => rpc.store(to, encoder.encode(`m${i}`), { headers: withId(`id-${i}`) })));
      // a redelivered result: the same id again is acknowledged and stored once
      await rpc.store(to, encoder.encode('m0 again'), { headers: withId('id-0') });
      expect((await jsm.streams.info(stream)).state.messages).toBe(50);
      expect(decoder.decode((await jsm.streams.getMessage(stream, { seq: 1 })).data)).toBe('m0');
      await expect(rpc.store(`${NAMESPACE}.rpcstore-none${run}`, encoder.encode('x'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await expect(rpc.store(to, encoder.encode('x'), { headers: withId('id-x', { 'Nats-Expected-Stream': 'SOME_OTHER' }) })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/JetStream did not store the message: expected stream does not match/),
      });
    } finally {
      await jsm.streams.delete(stream);
    }
  });

  it('fails waiting calls with UNAVAILABLE when the connection closes, and refuses new ones', async () => {
    const own = await connectTestNats('rpc-client-spec-closing');
    const rpc = new RpcClient(own, 30_000);
    const waiting = rpc.call(subject, { n: 4, silent: true });
    await own.flush();
    await own.close();
    await expect(waiting).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(rpc.call(subject, { n: 5 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('fails a call the credential may not publish with INTERNAL at once (not a TIMEOUT)', async () => {
    if (!process.env['LOGLENS_NATS_CREDENTIALS']) return; // an open NATS (NATS_URL given) has no permissions to refuse
    const agent = await connectTestNats('rpc-client-spec-agent', 'agent-base');
    try {
      const rpc = new RpcClient(agent, 30_000);
      await expect(rpc.call(subject, { n: 6 })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('may not call') });
    } finally {
      await agent.close();
    }
  });
});
