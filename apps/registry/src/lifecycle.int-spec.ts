import { createHash } from 'node:crypto';
import type { NatsConnection } from 'nats';
import {
  ARTIFACT_CHUNK_BYTES,
  LogLensError,
  RegistrySubjects,
  type AliasReply,
  type BeginUploadReply,
  type DeployVersionReply,
  type HistoryReply,
  type ListModelsReply,
  type ModelVersionDto,
  type RegisterVersionReply,
  type ValidationReportDto,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, errorOf, dropSchema, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, type RunningService } from '@loglens/testing';

const model = (bias: number, width = 3) =>
  writeLogisticRegressionModel({
    featureNames: Array.from({ length: width }, (_, i) => `f${i}`),
    mean: new Array(width).fill(0),
    scale: new Array(width).fill(1),
    weights: new Array(width).fill(0.1),
    bias,
  });

describe('registry lifecycle: aliases, rollback, history, archive, uploads (two registry instances)', () => {
  const schema = uniqueSchema('lifecycle');
  let nc: NatsConnection;
  let rpc: RpcClient;
  const registries: RunningService[] = [];
  let worker: RunningService | undefined;

  async function register(name: string, bytes: Uint8Array): Promise<string> {
    const req = { model: name, artifactBase64: Buffer.from(bytes).toString('base64'), createdBy: 'spec' };
    return (await rpc.call<RegisterVersionReply>(RegistrySubjects.registerVersion, req)).version.ref;
  }

  async function history(name: string): Promise<HistoryReply['entries']> {
    return (await rpc.call<HistoryReply>(RegistrySubjects.history, { model: name, limit: 1000 })).entries;
  }

  beforeAll(async () => {
    nc = await connectTestNats('lifecycle-int-spec');
    rpc = new RpcClient(nc, 20_000);
    const env = { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema };
    // two instances in the queue group: requests spread over both, so locking is tested across processes
    registries.push(await spawnService('registry', nc, env));
    registries.push(await spawnService('registry', nc, env));
    // validation fails closed: a version becomes deployable only after a worker ran its test inference
    worker = await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() });
  });

  afterAll(async () => {
    await Promise.all([...registries, ...(worker ? [worker] : [])].map((r) => r.stop()));
    await nc?.close();
    await dropSchema(schema);
  });

  it('deploys, rolls back to the previous version by default, and tells the whole story in the history', async () => {
    const v1 = await register('story', model(0));
    const v2 = await register('story', model(1));
    await rpc.call(RegistrySubjects.deployVersion, { ref: v1, actor: 'alice', reason: 'first' });
    await rpc.call(RegistrySubjects.deployVersion, { ref: v2, actor: 'bob', reason: 'better' });
    const back = await rpc.call<DeployVersionReply>(RegistrySubjects.rollback, { model: 'story', actor: 'carol', reason: 'regression' });
    expect(back).toMatchObject({ from: 'story@2', to: 'story@1' });
    const entries = await history('story');
    expect(entries.map((e) => [e.seq, e.action, e.from, e.to, e.actor, e.reason])).toEqual([
      [3, 'rollback', 'story@2', 'story@1', 'carol', 'regression'],
      [2, 'deploy', 'story@1', 'story@2', 'bob', 'better'],
      [1, 'deploy', null, 'story@1', 'alice', 'first'],
    ]);
  });

  it('moves and deletes aliases, resolves name@alias, and records alias changes', async () => {
    const set = await rpc.call<AliasReply>(RegistrySubjects.setAlias, { model: 'story', alias: 'production', ref: 'story@2', actor: 'alice' });
    expect(set).toMatchObject({ from: null, to: 'story@2' });
    const moved = await rpc.call<AliasReply>(RegistrySubjects.setAlias, { model: 'story', alias: 'production', ref: 'story@1', actor: 'alice' });
    expect(moved).toMatchObject({ from: 'story@2', to: 'story@1' });
    expect((await rpc.call<ModelVersionDto>(RegistrySubjects.getVersion, { ref: 'story@production' })).ref).toBe('story@1');
    await rpc.call(RegistrySubjects.setAlias, { model: 'story', alias: 'staging', ref: 'story@2', actor: 'alice' });
    await rpc.call(RegistrySubjects.deleteAlias, { model: 'story', alias: 'staging', actor: 'alice' });
    expect((await errorOf(rpc.call(RegistrySubjects.getVersion, { ref: 'story@staging' }))).message).toMatch(/story@staging: .*no alias "staging"/);
    const { models } = await rpc.call<ListModelsReply>(RegistrySubjects.listModels, {});
    expect(models.find((m) => m.name === 'story')?.aliases).toEqual({ production: 'story@1' });
    const aliasEntries = (await history('story')).filter((e) => e.kind === 'alias');
    expect(aliasEntries.map((e) => [e.alias, e.action, e.from, e.to])).toEqual([
      ['staging', 'alias-delete', 'story@2', null],
      ['staging', 'alias-set', null, 'story@2'],
      ['production', 'alias-set', 'story@2', 'story@1'],
      ['production', 'alias-set', null, 'story@2'],
    ]);
    expect((await errorOf(rpc.call(RegistrySubjects.setAlias, { model: 'story', alias: 'latest', ref: 'story@1', actor: 'a' }))).code).toBe('VALIDATION_FAILED');
  });

  it('archives only versions that neither serve nor carry an alias', async () => {
    expect((await errorOf(rpc.call(RegistrySubjects.archiveVersion, { ref: 'story@1', actor: 'a' }))).code).toBe('CONFLICT');
    const v3 = await register('story', model(2));
    const archived = await rpc.call<ModelVersionDto>(RegistrySubjects.archiveVersion, { ref: v3, actor: 'a' });
    expect(archived.archivedAt).not.toBeNull();
    expect((await errorOf(rpc.call(RegistrySubjects.deployVersion, { ref: v3, actor: 'a' }))).code).toBe('CONFLICT');
  });

  it('loads and unloads versions without changing what serves', async () => {
    const loaded = await rpc.call<{ status: string }>(RegistrySubjects.loadVersion, { ref: 'story@2', actor: 'a' });
    expect(loaded.status).toBe('loaded');
    expect((await errorOf(rpc.call(RegistrySubjects.unloadVersion, { ref: 'story@1', actor: 'a' }))).code).toBe('CONFLICT');
    expect((await rpc.call<{ status: string }>(RegistrySubjects.unloadVersion, { ref: 'story@2', actor: 'a' })).status).toBe('validated');
  });

  it('keeps one gap-free, fork-free history under 20 concurrent deploys and rollbacks', async () => {
    const refs = [await register('race', model(0)), await register('race', model(1)), await register('race', model(2))];
    // the registries' locking is under test, not the worker's hot-swaps: without it every deploy is only the registry's
    await worker?.stop();
    worker = undefined;
    await rpc.call(RegistrySubjects.deployVersion, { ref: refs[0], actor: 'setup' });
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 3 === 2
        ? rpc.call(RegistrySubjects.rollback, { model: 'race', actor: `r${i}` }).catch((e: LogLensError) => e)
        : rpc.call(RegistrySubjects.deployVersion, { ref: refs[(i + 1) % 3], actor: `d${i}` }).catch((e: LogLensError) => e),
    );
    const results = await Promise.all(calls);
    expect(results.filter((r) => r instanceof LogLensError && r.code !== 'CONFLICT')).toEqual([]);
    const serving = (await history('race')).filter((e) => e.kind === 'serving').reverse();
    expect(serving.map((e) => e.seq)).toEqual(serving.map((_, i) => i + 1));
    for (let i = 1; i < serving.length; i++) expect(serving[i].from).toBe(serving[i - 1].to);
    const { models } = await rpc.call<ListModelsReply>(RegistrySubjects.listModels, {});
    expect(models.find((m) => m.name === 'race')?.servingVersion).toBe(serving[serving.length - 1].to);
  });

  it('refuses to deploy an unknown reference with a 404-style error naming it', async () => {
    const e = await errorOf(rpc.call(RegistrySubjects.deployVersion, { ref: 'race@99', actor: 'a' }));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('race@99');
  });

  it('assembles a chunked upload, checks its sha256 and validates it', async () => {
    const bytes = model(0.5, 30_000); // ~600 KiB: three chunks
    const begin = await rpc.call<BeginUploadReply>(RegistrySubjects.beginUpload, { model: 'big', modelBytes: bytes.byteLength, createdBy: 'spec' });
    const chunks = Math.ceil(bytes.byteLength / ARTIFACT_CHUNK_BYTES);
    expect(chunks).toBeGreaterThan(1);
    // out of order, as concurrent senders deliver them
    for (const index of Array.from({ length: chunks }, (_, i) => chunks - 1 - i)) {
      const part = Buffer.from(bytes.subarray(index * ARTIFACT_CHUNK_BYTES, (index + 1) * ARTIFACT_CHUNK_BYTES)).toString('base64');
      await rpc.call(RegistrySubjects.uploadChunk, { uploadId: begin.uploadId, part: 'model', index, dataBase64: part });
    }
    const sha = createHash('sha256').update(bytes).digest('hex');
    const done = await rpc.call<RegisterVersionReply & { validation: ValidationReportDto }>(RegistrySubjects.commitUpload, { uploadId: begin.uploadId, modelSha256: sha });
    expect(done.version).toMatchObject({ ref: 'big@1', sha256: sha, sizeBytes: bytes.byteLength });
    expect(done.validation.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining(['protobuf', 'ir-opsets', 'external-data', 'custom-ops', 'feature-schema', 'outputs', 'batch-dimension', 'test-inference']),
    );
    const report = await rpc.call<ValidationReportDto>(RegistrySubjects.getValidation, { ref: 'big@1' });
    expect(report.ref).toBe('big@1');

    const incomplete = await rpc.call<BeginUploadReply>(RegistrySubjects.beginUpload, { model: 'big', modelBytes: bytes.byteLength, createdBy: 'spec' });
    expect((await errorOf(rpc.call(RegistrySubjects.commitUpload, { uploadId: incomplete.uploadId }))).message).toMatch(/incomplete: 0 of \d+ chunks/);
  });
});
