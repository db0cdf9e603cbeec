// The cells the inference benchmark's scenarios measure: in-process onnxruntime and batcher, predict and echo over
// NATS, POST over HTTP — each one closed-loop load through runLoad (lib/measure.ts) returning a CellResult.
import { Agent } from 'node:http';
import * as ort from 'onnxruntime-node';
import { InferenceSubjects, type PredictReply, type PredictRequest } from '@loglens/contracts';
import { OnnxModelSession, PredictBatcher } from '@loglens/model-runtime';
import type { RpcClient } from '@loglens/nest-common';
import { ECHO_SUBJECT, SMALL, featureNames, sampleRow } from './bench-models';
import {
  CELL_MS,
  REQUEST_TIMEOUT_MS,
  httpPost,
  runLoad,
  withWorkerTimings,
  type CellResult,
  type Pids,
} from './measure';

/** Back-to-back runs of one session in this process: the ceiling of the model itself, no transport, no queue. */
export async function ortLimit(bytes: Uint8Array, width: number, batch: number): Promise<CellResult> {
  const pids: Pids = { client: process.pid };
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  try {
    const data = new Float32Array(batch * width);
    for (let i = 0; i < data.length; i++) data[i] = (i % 97) / 10;
    const feeds = { features: new ort.Tensor('float32', data, [batch, width]) };
    return await runLoad(1, () => session.run(feeds), {
      warmupMs: 200,
      durationMs: Math.min(CELL_MS, 1500),
      pids,
    });
  } finally {
    await session.release();
  }
}

/** LogLens' own request path without a transport: prepare, dynamic batcher, one session (diagnostic). */
export async function inProcessBatcher(
  bytes: Uint8Array,
  width: number,
  concurrency: number,
  maxBatchSize: number,
): Promise<CellResult> {
  const session = await OnnxModelSession.create(bytes, {
    ref: 'bench@0',
    inputName: 'features',
    scoreOutput: 'score',
    featureNames: featureNames(width),
  });
  const batcher = new PredictBatcher(session, { maxBatchSize, maxQueueDelayMs: 0, maxQueueSize: 4096 });
  const rows = [sampleRow(width, 1)];
  try {
    return await runLoad(concurrency, () => batcher.predict(rows), {
      durationMs: Math.min(CELL_MS, 1500),
      pids: { client: process.pid },
    });
  } finally {
    await batcher.close();
    await session.release();
  }
}

export async function natsPredict(
  rpc: RpcClient,
  model: string,
  width: number,
  concurrency: number,
  pids: Pids,
  extra: Partial<PredictRequest> = {},
): Promise<CellResult> {
  const req: PredictRequest = { model, rows: [sampleRow(width, 1)], ...extra };
  const timings: Array<{ queueMs: number; computeMs: number }> = [];
  const r = await runLoad(
    concurrency,
    () => rpc.call(InferenceSubjects.predict, req, { timeoutMs: REQUEST_TIMEOUT_MS }),
    {
      onReply: (reply) => timings.length < 50_000 && timings.push(reply.timings),
      pids,
    },
  );
  return withWorkerTimings(r, timings);
}

/** The same client and the same request bytes as natsPredict, answered by the echo process. */
export function natsEcho(
  rpc: RpcClient,
  width: number,
  concurrency: number,
  pids: Pids,
): Promise<CellResult> {
  const req: PredictRequest = { model: SMALL, rows: [sampleRow(width, 1)] };
  return runLoad(concurrency, () => rpc.call(ECHO_SUBJECT, req, { timeoutMs: REQUEST_TIMEOUT_MS }), {
    pids,
  });
}

export async function httpLoad(
  port: number,
  pathname: string,
  width: number,
  concurrency: number,
  pids: Pids,
  headers: Record<string, string> = {},
): Promise<CellResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const body = Buffer.from(
    JSON.stringify({ model: SMALL, rows: [sampleRow(width, 1)] } satisfies PredictRequest),
  );
  const timings: Array<{ queueMs: number; computeMs: number }> = [];
  try {
    const r = await runLoad(concurrency, () => httpPost(agent, port, pathname, body, headers), {
      onReply: (reply) => {
        const t = (reply as Partial<PredictReply>).timings;
        if (t && timings.length < 50_000) timings.push(t);
      },
      pids,
    });
    return withWorkerTimings(r, timings);
  } finally {
    agent.destroy();
  }
}
