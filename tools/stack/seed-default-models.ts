import {
  InferenceSubjects,
  RegistrySubjects,
  type DeployVersionRequest,
  type ListModelsReply,
  type RegisterVersionRequest,
} from '@loglens/contracts/protocol';
import type { RpcClient } from '@loglens/nest-common';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A trained default model (tools/models/default-models.ts): its ONNX bytes and its registry metadata. */
export interface TrainedDefaultModel {
  name: string;
  task: string;
  description: string;
  onnx: Uint8Array;
  metadata: object;
}

/** Trains both default models, in-process (`async () => buildDefaultModels()`) or in a child ({@link trainInChildProcess}). */
export type DefaultModelTrainer = () => Promise<TrainedDefaultModel[]>;

const DEFAULT_MODELS = ['log-anomaly', 'wifi-anomaly'] as const;

/**
 * First start only: trains the default models from the data in the repository (`log-anomaly` on HDFS sessions,
 * `wifi-anomaly` on simulated normal WiFi behaviour; deterministic, a few seconds) and registers and deploys each
 * one the registry does not have yet, so both agents score from their first window. Later starts leave the registry
 * alone: an operator's deploys are never overwritten.
 * `train` trains them: `npm start` passes {@link trainInChildProcess}, so the launcher stays small for as long as the
 * stack runs instead of keeping the training heap (~300 MB); one-shot tools train in-process.
 */
export async function seedDefaultModels(rpc: RpcClient, log: (line: string) => void, train: DefaultModelTrainer): Promise<void> {
  const { models } = await waitForRegistry(rpc, log);
  const have = new Set(models.map((m) => m.name));
  if (have.has('log-anomaly') && have.has('wifi-anomaly')) return;
  log('training the default models (first start only)…');
  // validation fails closed: a version becomes deployable only once a worker has run its test inference
  await waitFor(log, 'an inference worker', () => rpc.call(InferenceSubjects.metrics, {}, { timeoutMs: 5000 }));
  for (const m of await train()) {
    if (have.has(m.name)) continue;
    await registerAndDeploy(rpc, log, m);
  }
}

async function registerAndDeploy(rpc: RpcClient, log: (line: string) => void, m: TrainedDefaultModel): Promise<void> {
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

/**
 * Trains in a child process, `node tools/ts-run.mjs tools/models/default-models.ts --out <temp dir>`, which exits
 * once the files are written; its output lines go to `log`. Needs the workspace (its TypeScript and data/).
 */
export function trainInChildProcess(workspaceRoot: string, log: (line: string) => void): DefaultModelTrainer {
  return async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'loglens-default-models-'));
    try {
      await runTrainer(workspaceRoot, out, log);
      return DEFAULT_MODELS.map((name) => {
        const file = JSON.parse(readFileSync(path.join(out, name, 'metadata.json'), 'utf8')) as Omit<TrainedDefaultModel, 'onnx'>;
        return { name: file.name, task: file.task, description: file.description, metadata: file.metadata, onnx: readFileSync(path.join(out, name, 'model.onnx')) };
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
}

function runTrainer(workspaceRoot: string, out: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(workspaceRoot, 'tools/ts-run.mjs'), path.join(workspaceRoot, 'tools/models/default-models.ts'), '--out', out], {
      cwd: workspaceRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const lines = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(`  ${line.trim()}`);
    };
    child.stdout.on('data', lines);
    child.stderr.on('data', lines);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`training the default models failed (${signal ?? `exit code ${code}`}): ${tail.trim().split('\n').slice(-3).join(' / ')}`)),
    );
  });
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
