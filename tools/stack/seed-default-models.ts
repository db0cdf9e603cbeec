import {
  InferenceSubjects,
  RegistrySubjects,
  type DeployVersionRequest,
  type ListModelsReply,
  type RegisterVersionRequest,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { buildDefaultModels } from '../models/default-models';

/**
 * First start only: trains the default models from the data in the repository (`log-anomaly` on HDFS sessions,
 * `wifi-anomaly` on simulated normal WiFi behaviour; deterministic, a few seconds) and registers and deploys each
 * one the registry does not have yet, so both agents score from their first window. Later starts leave the registry
 * alone: an operator's deploys are never overwritten.
 */
export async function seedDefaultModels(rpc: RpcClient, log: (line: string) => void): Promise<void> {
  const { models } = await waitForRegistry(rpc, log);
  const have = new Set(models.map((m) => m.name));
  if (have.has('log-anomaly') && have.has('wifi-anomaly')) return;
  log('training the default models (first start only)…');
  // validation fails closed: a version becomes deployable only once a worker has run its test inference
  await waitFor(log, 'an inference worker', () => rpc.call(InferenceSubjects.metrics, {}, { timeoutMs: 5000 }));
  for (const m of buildDefaultModels()) {
    if (have.has(m.name)) continue;
    const register: RegisterVersionRequest = {
      model: m.name,
      task: m.task,
      description: m.description,
      artifactBase64: Buffer.from(m.onnx).toString('base64'),
      metadata: m.metadata as Record<string, unknown>,
      createdBy: 'loglens-start',
    };
    const registered = await rpc.call(RegistrySubjects.registerVersion, register, { timeoutMs: 60_000 });
    const deploy: DeployVersionRequest = { ref: registered.version.ref, actor: 'loglens-start', reason: 'default model on first start' };
    await rpc.call(RegistrySubjects.deployVersion, deploy, { timeoutMs: 15_000 });
    log(`registered and deployed ${registered.version.ref} (${m.description})`);
  }
}

function waitForRegistry(rpc: RpcClient, log: (line: string) => void): Promise<ListModelsReply> {
  return waitFor(log, 'the registry', () => rpc.call(RegistrySubjects.listModels, {}, { timeoutMs: 5000 }));
}

// 3 min: every service starts at once, and on a loaded 2-core machine the registry alone took over a minute to answer
async function waitFor<T>(log: (line: string) => void, what: string, call: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      if (attempt % 10 === 0) log(`waiting for ${what}: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
