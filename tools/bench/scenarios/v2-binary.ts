// KServe v2 infer through the gateway: 256 rows × 32 FP32 features as JSON and with the binary tensor extension
// (request and reply binary), ABBA-interleaved per concurrency (tools/bench/v2-binary.ts). Goal: binary ≥ 3× JSON.
import path from 'node:path';
import { freePort, waitForPort } from '@loglens/dev-infra';
import { waitUntilServed } from '@loglens/testing';
import { API_KEY } from '../lib/bench-models';
import type { Scenario } from '../lib/context';
import { root, spawnTracked, stopService } from '../lib/processes';
import { V2_BINARY_FEATURES, v2BinaryModel, v2BinaryRows } from '../v2-binary';

export const V2_MODEL = 'bench-v2-wide';

export const v2Binary: Scenario = async (ctx) => {
  const { log, nc, natsUrl, worker, register, deploy, rpc } = ctx;
  const ref = await register(V2_MODEL, v2BinaryModel(), V2_BINARY_FEATURES);
  await deploy(ref);
  await waitUntilServed(rpc, V2_MODEL, ref, new Array<number>(V2_BINARY_FEATURES).fill(0.5));
  const port = await freePort();
  const gateway = await spawnTracked('gateway', nc, {
    NATS_URL: natsUrl,
    API_KEYS: `viewer:${API_KEY}`,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: '127.0.0.1',
    ADMIN_DIST: path.join(root, 'tmp/bench/no-admin'),
  });
  try {
    await waitForPort(port, 30_000);
    const { rows, ratios } = await v2BinaryRows({
      port,
      apiKey: API_KEY,
      model: V2_MODEL,
      inputName: 'features',
      concurrencies: [1, 16],
      pids: { gateway: gateway.process.pid, worker: worker.process.pid, client: process.pid },
      log,
    });
    const worst = Math.min(...Object.values(ratios));
    return {
      rows,
      goals: [
        {
          rank: 5,
          line: `- KServe v2 infer, 256 rows × 32 FP32 through the gateway: binary tensors ${Object.entries(ratios)
            .map(([c, r]) => `**${r.toFixed(2)}×** at c=${c}`)
            .join(', ')} the JSON form's rows/s (goal ≥ 3×): ${worst >= 3 ? 'met' : '**not met**'}.`,
        },
      ],
    };
  } finally {
    await stopService(gateway);
  }
};
