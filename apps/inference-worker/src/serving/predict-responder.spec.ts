import type { Msg, NatsConnection } from 'nats';
import type { PredictReply } from '@loglens/contracts';
import { PredictResponder } from './predict-responder';
import type { PredictService } from './predict.service';
import type { ServingTable } from './serving-table.service';
import type { WorkerEnv } from '../app/worker.env';
import type { HealthResponder, ServiceIdentity } from '@loglens/nest-common';

/** The responder between a request and its reply; NATS and the predict service are outside it (stand-ins). */
function responderAnswering(rows: number, maxPayload: number) {
  const reply: PredictReply = {
    modelVersion: 'm@1',
    scores: Array.from({ length: rows }, () => 0.5),
    isAnomaly: null,
    threshold: null,
    outputs: {},
    timings: { queueMs: 0, computeMs: 0 },
    worker: 'w',
  };
  const predictions = { predictWith: (_req: unknown, done: (e: Error | null, r?: PredictReply) => void) => done(null, reply) } as unknown as PredictService;
  const nc = { info: { max_payload: maxPayload } } as unknown as NatsConnection;
  const responder = new PredictResponder(nc, predictions, {} as ServingTable, { WORKER_POOL: 'serving' } as WorkerEnv, { instanceId: 'w' } as ServiceIdentity, {} as HealthResponder);
  const sent: Buffer[] = [];
  const msg = { reply: '_INBOX.x', data: Buffer.from(JSON.stringify({ model: 'm', rows: [[1]] })), respond: (b: Buffer) => sent.push(b) } as unknown as Msg;
  (responder as unknown as { handle(m: Msg): void }).handle(msg);
  return JSON.parse(sent[0].toString()) as Record<string, unknown>;
}

describe('PredictResponder', () => {
  it('sends the reply when it fits the NATS payload limit', () => {
    expect(responderAnswering(10, 1024 * 1024)).toMatchObject({ response: { modelVersion: 'm@1' } });
  });

  it('answers PAYLOAD_TOO_LARGE, naming the sizes, when the reply would not fit (instead of leaving the caller to time out)', () => {
    const body = responderAnswering(10_000, 4096);
    expect(JSON.stringify(body)).toContain('PAYLOAD_TOO_LARGE');
    expect(JSON.stringify(body)).toMatch(/10000 rows\) is \d+ bytes, over the NATS payload limit of 4096/);
  });
});
