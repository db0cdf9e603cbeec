import { encodePredictReplyFrame, InferenceSubjects, LogLensError, type PredictReply, type PredictRequest } from '@loglens/contracts';
import type { RpcClient } from '@loglens/nest-common';
import type { GatewayEnv } from '../app/gateway.env';
import { ModelsGatewayService, PREDICT_BINARY_MIN_CELLS } from './models.gateway-service';

const reply = (n: number): PredictReply => ({
  modelVersion: 'm@1',
  scores: Array.from({ length: n }, (_, i) => i / n),
  isAnomaly: null,
  threshold: null,
  outputs: { score: { dims: [n, 1], data: Array.from({ length: n }, (_, i) => i / n) } },
  timings: { queueMs: 0, computeMs: 0.1 },
  worker: 'w',
});

function fakeRpc(binary: 'answers' | 'nobody') {
  const calls: string[] = [];
  const rpc = {
    call: jest.fn(async (subject: string, req: PredictRequest) => {
      calls.push(subject);
      return reply(req.rows.length);
    }),
    callBytes: jest.fn(async (subject: string) => {
      calls.push(subject);
      if (binary === 'nobody') throw new LogLensError('UNAVAILABLE', `no responders for ${subject}`);
      return encodePredictReplyFrame({ response: reply(PREDICT_BINARY_MIN_CELLS / 4) });
    }),
  };
  return { rpc: rpc as unknown as RpcClient, calls };
}

const env = { REQUEST_TIMEOUT_MS: 1000 } as GatewayEnv;
const big: PredictRequest = { model: 'm', rows: Array.from({ length: PREDICT_BINARY_MIN_CELLS / 4 }, () => [1, 2, 3, 4]) };
const small: PredictRequest = { model: 'm', rows: [[1, 2, 3, 4]] };

describe('ModelsGatewayService.predict', () => {
  it('sends rows of at least PREDICT_BINARY_MIN_CELLS numbers as a tensor frame, smaller ones and named fields as JSON', async () => {
    const { rpc, calls } = fakeRpc('answers');
    const service = new ModelsGatewayService(rpc, env);
    expect(await service.predict(big)).toEqual(reply(big.rows.length));
    await service.predict(small);
    await service.predict({ model: 'm', rows: Array.from({ length: PREDICT_BINARY_MIN_CELLS }, () => ({ a: 1 })) });
    expect(calls).toEqual([InferenceSubjects.predictBinary, InferenceSubjects.predict, InferenceSubjects.predict]);
  });

  it('falls back to JSON when no worker answers the frame (older workers), and stays on JSON for a while', async () => {
    const { rpc, calls } = fakeRpc('nobody');
    const service = new ModelsGatewayService(rpc, env);
    expect(await service.predict(big)).toEqual(reply(big.rows.length));
    expect(await service.predict(big)).toEqual(reply(big.rows.length));
    expect(calls).toEqual([InferenceSubjects.predictBinary, InferenceSubjects.predict, InferenceSubjects.predict]);
  });

  it("passes on the worker's own error from a frame", async () => {
    const { rpc } = fakeRpc('answers');
    (rpc.callBytes as jest.Mock).mockResolvedValueOnce(encodePredictReplyFrame({ err: { code: 'VALIDATION_FAILED', message: 'row 0 has 4 values' } }));
    await expect(new ModelsGatewayService(rpc, env).predict(big)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: 'row 0 has 4 values' });
  });
});
