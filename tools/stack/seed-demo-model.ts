import {
  RegistrySubjects,
  type DeployVersionRequest,
  type ListModelsReply,
  type RegisterVersionReply,
  type RegisterVersionRequest,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { buildDemoModel } from '../models/demo-model';

/**
 * First start only: registers and deploys the demo model (trained here, from the HDFS sessions in data/),
 * so a newcomer's first prediction returns something real. Later starts leave the registry alone.
 */
export async function seedDemoModel(rpc: RpcClient, log: (line: string) => void): Promise<void> {
  const { models } = await waitForRegistry(rpc, log);
  const demo = buildDemoModel();
  if (models.some((m) => m.name === demo.name)) return;
  const register: RegisterVersionRequest = {
    model: demo.name,
    task: demo.task,
    description: demo.description,
    artifactBase64: Buffer.from(demo.onnx).toString('base64'),
    metadata: demo.metadata as unknown as Record<string, unknown>,
    createdBy: 'loglens-start',
  };
  const registered = await rpc.call<RegisterVersionReply>(RegistrySubjects.registerVersion, register, { timeoutMs: 15_000 });
  const deploy: DeployVersionRequest = { ref: registered.version.ref, actor: 'loglens-start', reason: 'demo model on first start' };
  await rpc.call(RegistrySubjects.deployVersion, deploy, { timeoutMs: 15_000 });
  const test = demo.metadata.metrics.test;
  log(`registered and deployed the demo model ${registered.version.ref} (HDFS test split: precision ${test.precision.toFixed(3)}, recall ${test.recall.toFixed(3)}, F1 ${test.f1.toFixed(3)})`);
}

async function waitForRegistry(rpc: RpcClient, log: (line: string) => void, timeoutMs = 60_000): Promise<ListModelsReply> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await rpc.call<ListModelsReply>(RegistrySubjects.listModels, {}, { timeoutMs: 5000 });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      if (attempt % 10 === 0) log(`waiting for the registry: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
