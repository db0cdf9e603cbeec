// Model versions over NATS for specs and benches: register a version (inline ONNX, a feature schema, a threshold and
// optionally a reference profile), deploy it, and wait until the worker answers predict with it — the set-up the
// worker, trainer and registry integration specs and the bench tools each wrote out by hand.
import { Buffer } from 'node:buffer';
import {
  InferenceSubjects,
  RegistrySubjects,
  type DeployVersionRequest,
  type RegisterVersionReply,
  type RegisterVersionRequest,
} from '@loglens/contracts';
import type { RpcClient } from '@loglens/nest-common';
import { waitFor } from './wait-for';

export interface VersionFixture {
  model: string;
  /** the ONNX artifact, sent inline */
  onnx: Uint8Array;
  /**
   * the feature schema's names, in order (schema version `<model>.v1` unless `schemaVersion` says otherwise). Omit it
   * to register a version with no feature schema and no default threshold: the metadata is then `threshold` (if given)
   * and `metadata` alone, and a version with neither is registered with no metadata at all.
   */
  featureNames?: readonly string[];
  /** the feature schema's version (default `<model>.v1`) */
  schemaVersion?: string;
  /** the dtype each feature of the schema names (none unless given) */
  featureDtype?: 'float32';
  /** the decision threshold (default 0.5 with a feature schema, none without one) */
  threshold?: number;
  /** further metadata (a referenceProfile, a window, …), merged over the schema and threshold */
  metadata?: Record<string, unknown>;
  createdBy?: string;
}

/** The registerVersion request for a fixture. */
export function registerVersionRequest(f: VersionFixture): RegisterVersionRequest {
  const metadata: Record<string, unknown> | undefined = f.featureNames
    ? {
        featureSchema: {
          version: f.schemaVersion ?? `${f.model}.v1`,
          features: f.featureNames.map((name) => (f.featureDtype ? { name, dtype: f.featureDtype } : { name })),
        },
        threshold: f.threshold ?? 0.5,
        ...f.metadata,
      }
    : f.threshold !== undefined || f.metadata
      ? { ...(f.threshold !== undefined ? { threshold: f.threshold } : {}), ...f.metadata }
      : undefined;
  return {
    model: f.model,
    artifactBase64: Buffer.from(f.onnx).toString('base64'),
    ...(metadata ? { metadata } : {}),
    createdBy: f.createdBy ?? 'test',
  };
}

/** Registers the version over NATS and returns the registry's reply (the version and its validation report). */
export function registerVersionReply(
  rpc: RpcClient,
  f: VersionFixture,
  timeoutMs = 60_000,
): Promise<RegisterVersionReply> {
  return rpc.call(RegistrySubjects.registerVersion, registerVersionRequest(f), { timeoutMs });
}

/** Registers the version over NATS and returns its ref. */
export async function registerVersion(
  rpc: RpcClient,
  f: VersionFixture,
  timeoutMs = 60_000,
): Promise<string> {
  return (await registerVersionReply(rpc, f, timeoutMs)).version.ref;
}

/** Deploys `ref` over NATS (the registry's lifecycle rules apply: a refused deploy rejects). */
export function deployVersion(
  rpc: RpcClient,
  ref: string,
  opts: { actor?: string; reason?: string; timeoutMs?: number } = {},
): Promise<unknown> {
  const req: DeployVersionRequest = {
    ref,
    actor: opts.actor ?? 'test',
    ...(opts.reason ? { reason: opts.reason } : {}),
  };
  return rpc.call(RegistrySubjects.deployVersion, req, { timeoutMs: opts.timeoutMs ?? 30_000 });
}

/** Waits until predict on `model` (one request of `row`) is answered by `ref`; resolves with the time that took. */
export async function waitUntilServed(
  rpc: RpcClient,
  model: string,
  ref: string,
  row: number[],
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<number> {
  const started = performance.now();
  await waitFor(
    `${ref} served`,
    async () => {
      const reply = await rpc
        .call(InferenceSubjects.predict, { model, rows: [row] }, { timeoutMs: 5000 })
        .catch(() => null);
      return reply?.modelVersion === ref ? true : undefined;
    },
    { timeoutMs: opts.timeoutMs ?? 30_000, ...(opts.intervalMs ? { intervalMs: opts.intervalMs } : {}) },
  );
  return performance.now() - started;
}

/** Registers, deploys and waits until served; returns the ref. `row` is a request row of the model's width. */
export async function deployServedVersion(
  rpc: RpcClient,
  f: VersionFixture,
  row: number[],
  opts: { actor?: string; reason?: string; timeoutMs?: number } = {},
): Promise<string> {
  const ref = await registerVersion(rpc, f);
  await deployVersion(rpc, ref, opts);
  await waitUntilServed(rpc, f.model, ref, row, { timeoutMs: opts.timeoutMs });
  return ref;
}
