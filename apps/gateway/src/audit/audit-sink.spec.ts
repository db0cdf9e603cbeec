import { Logger } from '@nestjs/common';
import { LogLensError, type AuditEntryInput, type RecordAuditRequest } from '@loglens/contracts';
import type { RpcClient } from '@loglens/nest-common';
import { AuditSink } from './audit-sink';

function entry(n: number): AuditEntryInput {
  return { at: new Date(0).toISOString(), actorId: `bootstrap:0000000${n}`, actorName: 'ci', role: 'operator', action: 'version.tags', method: 'PUT', route: '/model-management/:version/tags', clientIp: '127.0.0.1', status: 200 };
}

/** A registry stand-in that is down until `up` is set, and keeps what it stored. */
function registry() {
  const stored: AuditEntryInput[] = [];
  const state = { up: false };
  const rpc = {
    call: async (_subject: string, req: RecordAuditRequest) => {
      if (!state.up) throw new LogLensError('UNAVAILABLE', 'no service is answering');
      stored.push(...req.entries);
      return { recorded: req.entries.length };
    },
  } as unknown as RpcClient;
  return { rpc, stored, state };
}

describe('AuditSink', () => {
  afterEach(() => jest.useRealTimers());

  it('holds entries while the registry is down and stores every one, in order, once it is back', async () => {
    jest.useFakeTimers();
    const r = registry();
    const sink = new AuditSink(r.rpc);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    for (let i = 1; i <= 3; i++) sink.record(entry(i));
    await sink.flush();
    expect(r.stored).toEqual([]);
    r.state.up = true;
    jest.advanceTimersByTime(60_000); // past the back-off
    await sink.flush();
    expect(r.stored.map((e) => e.actorId)).toEqual(['bootstrap:00000001', 'bootstrap:00000002', 'bootstrap:00000003']);
  });

  it('writes what it could not store to the log as AUDIT-UNSTORED when the gateway stops with the registry down', async () => {
    const r = registry();
    const sink = new AuditSink(r.rpc);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const errors: string[] = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((m: unknown) => void errors.push(String(m)));
    sink.record(entry(1));
    sink.record(entry(2));
    await sink.onApplicationShutdown();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^AUDIT-UNSTORED \{.*"actorId":"bootstrap:00000001"/);
  });
});
