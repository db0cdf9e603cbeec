import { createHash } from 'node:crypto';
import type { NatsConnection } from 'nats';
import {
  ARTIFACT_CHUNK_BYTES,
  LogLensError,
  RegistrySubjects,
  refusalOf,
  type HistoryReply,
  type VersionAction,
  type VersionFacts,
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
    return (await rpc.call(RegistrySubjects.registerVersion, req)).version.ref;
  }

  async function history(name: string): Promise<HistoryReply['entries']> {
    return (await rpc.call(RegistrySubjects.history, { model: name, limit: 1000 })).entries;
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
    const back = await rpc.call(RegistrySubjects.rollback, { model: 'story', actor: 'carol', reason: 'regression' });
    expect(back).toMatchObject({ from: 'story@2', to: 'story@1' });
    const entries = await history('story');
    expect(entries.map((e) => [e.seq, e.action, e.from, e.to, e.actor, e.reason])).toEqual([
      [3, 'rollback', 'story@2', 'story@1', 'carol', 'regression'],
      [2, 'deploy', 'story@1', 'story@2', 'bob', 'better'],
      [1, 'deploy', null, 'story@1', 'alice', 'first'],
    ]);
  });

  it('moves and deletes aliases, resolves name@alias, and records alias changes', async () => {
    const set = await rpc.call(RegistrySubjects.setAlias, { model: 'story', alias: 'production', ref: 'story@2', actor: 'alice' });
    expect(set).toMatchObject({ from: null, to: 'story@2' });
    const moved = await rpc.call(RegistrySubjects.setAlias, { model: 'story', alias: 'production', ref: 'story@1', actor: 'alice' });
    expect(moved).toMatchObject({ from: 'story@2', to: 'story@1' });
    expect((await rpc.call(RegistrySubjects.getVersion, { ref: 'story@production' })).ref).toBe('story@1');
    await rpc.call(RegistrySubjects.setAlias, { model: 'story', alias: 'staging', ref: 'story@2', actor: 'alice' });
    await rpc.call(RegistrySubjects.deleteAlias, { model: 'story', alias: 'staging', actor: 'alice' });
    expect((await errorOf(rpc.call(RegistrySubjects.getVersion, { ref: 'story@staging' }))).message).toMatch(/story@staging: .*no alias "staging"/);
    const { models } = await rpc.call(RegistrySubjects.listModels, {});
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
    const archived = await rpc.call(RegistrySubjects.archiveVersion, { ref: v3, actor: 'a' });
    expect(archived.archivedAt).not.toBeNull();
    expect((await errorOf(rpc.call(RegistrySubjects.deployVersion, { ref: v3, actor: 'a' }))).code).toBe('CONFLICT');
  });

  it('loads and unloads versions without changing what serves', async () => {
    const loaded = await rpc.call(RegistrySubjects.loadVersion, { ref: 'story@2', actor: 'a' });
    expect(loaded.status).toBe('loaded');
    expect((await errorOf(rpc.call(RegistrySubjects.unloadVersion, { ref: 'story@1', actor: 'a' }))).code).toBe('CONFLICT');
    expect((await rpc.call(RegistrySubjects.unloadVersion, { ref: 'story@2', actor: 'a' })).status).toBe('validated');
  });

  it('refuses exactly what the lifecycle table refuses, with its code and reason, in every state a version reaches', async () => {
    // six versions: serving, invalid (a worker's fallback marks it), validated with an alias, loaded, retired, archived
    const refs: string[] = [];
    for (let i = 0; i < 6; i++) refs.push(await register('table', model(10 + i)));
    const [v1, v2, v3, v4, v5, v6] = refs;
    await rpc.call(RegistrySubjects.deployVersion, { ref: v5, actor: 'setup' });
    await rpc.call(RegistrySubjects.deployVersion, { ref: v1, actor: 'setup' });
    await rpc.call(RegistrySubjects.deployVersion, { ref: v2, actor: 'setup' });
    await rpc.call(RegistrySubjects.fallback, { failedRef: v2, reason: 'spec: failed to load', worker: 'spec' });
    await rpc.call(RegistrySubjects.setAlias, { model: 'table', alias: 'production', ref: v3, actor: 'setup' });
    await rpc.call(RegistrySubjects.loadVersion, { ref: v4, actor: 'setup' });
    await rpc.call(RegistrySubjects.archiveVersion, { ref: v6, actor: 'setup' });

    const facts = async (ref: string): Promise<VersionFacts> => {
      const v = await rpc.call(RegistrySubjects.getVersion, { ref });
      return { ref, status: v.status, archived: v.archivedAt !== null, aliases: v.aliases };
    };
    const states = await Promise.all(refs.map(facts));
    expect(states.map((f) => `${f.status}${f.archived ? ' archived' : ''}${f.aliases.length ? ' aliased' : ''}`)).toEqual([
      'serving',
      'invalid',
      'validated aliased',
      'loaded',
      'retired',
      'retired archived',
    ]);

    // each call does the action; an accepted one that changes something is undone where the API can undo it
    const criteria = { maxErrorRate: 0.01, maxP99Ms: 500, minSamples: 50 };
    const perform: Array<[VersionAction, (ref: string) => Promise<unknown>]> = [
      ['serve-pinned', (ref) => rpc.call(RegistrySubjects.servingInfo, { ref })],
      [
        'alias-target',
        async (ref) => {
          await rpc.call(RegistrySubjects.setAlias, { model: 'table', alias: 'probe', ref, actor: 'spec' });
          await rpc.call(RegistrySubjects.deleteAlias, { model: 'table', alias: 'probe', actor: 'spec' });
        },
      ],
      [
        'experiment-candidate',
        async (ref) => {
          const version = ref.split('@')[1];
          const e = await rpc.call(RegistrySubjects.createExperiment, { model: 'table', kind: 'ab', candidates: [{ version, weight: 50 }], criteria, actor: 'spec' });
          await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'abort', actor: 'spec' });
        },
      ],
      // from here on the actions change state; the table is asked about the state each version is in at the call
      ['unload', (ref) => rpc.call(RegistrySubjects.unloadVersion, { ref, actor: 'spec' })],
      ['load', (ref) => rpc.call(RegistrySubjects.loadVersion, { ref, actor: 'spec' })],
      ['rollback-target', (ref) => rpc.call(RegistrySubjects.rollback, { model: 'table', to: ref, actor: 'spec' })],
      ['deploy', (ref) => rpc.call(RegistrySubjects.deployVersion, { ref, actor: 'spec' })],
      ['archive', (ref) => rpc.call(RegistrySubjects.archiveVersion, { ref, actor: 'spec' })],
    ];
    const seen: string[] = [];
    const mismatches: string[] = [];
    for (const [action, call] of perform) {
      for (const ref of refs) {
        const before = await facts(ref);
        const expected = refusalOf(action, before);
        const outcome = await call(ref).then(
          () => null,
          (e: unknown) => e,
        );
        const got = outcome instanceof LogLensError ? { code: outcome.code, message: outcome.message } : outcome === null ? null : { code: 'THROWN', message: String(outcome) };
        if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${action} ${before.status}${before.archived ? ' archived' : ''}: table ${JSON.stringify(expected)}, registry ${JSON.stringify(got)}`);
        seen.push(`${action} ${before.status}${before.archived ? ' archived' : ''}: ${expected ? 'refused' : 'ok'}`);
      }
    }
    expect(mismatches).toEqual([]);
    // the walk reached refusals of every kind the table has for these actions (not only accepted calls)
    expect(seen).toEqual(
      expect.arrayContaining([
        'serve-pinned invalid: refused',
        'serve-pinned retired archived: refused',
        'alias-target invalid: refused',
        'alias-target retired archived: refused',
        'experiment-candidate serving: refused',
        'experiment-candidate invalid: refused',
        'experiment-candidate retired archived: refused',
        'experiment-candidate validated: ok',
        'unload serving: refused',
        'load invalid: refused',
        'load retired archived: refused',
        'rollback-target invalid: refused',
        'deploy invalid: refused',
        'deploy retired archived: refused',
        'archive serving: refused',
      ]),
    );
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
    const { models } = await rpc.call(RegistrySubjects.listModels, {});
    expect(models.find((m) => m.name === 'race')?.servingVersion).toBe(serving[serving.length - 1].to);
  });

  it('refuses to deploy an unknown reference with a 404-style error naming it', async () => {
    const e = await errorOf(rpc.call(RegistrySubjects.deployVersion, { ref: 'race@99', actor: 'a' }));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('race@99');
  });

  it('assembles a chunked upload, checks its sha256 and validates it', async () => {
    const bytes = model(0.5, 30_000); // ~600 KiB: three chunks
    const begin = await rpc.call(RegistrySubjects.beginUpload, { model: 'big', modelBytes: bytes.byteLength, createdBy: 'spec' });
    const chunks = Math.ceil(bytes.byteLength / ARTIFACT_CHUNK_BYTES);
    expect(chunks).toBeGreaterThan(1);
    // out of order, as concurrent senders deliver them
    for (const index of Array.from({ length: chunks }, (_, i) => chunks - 1 - i)) {
      const part = Buffer.from(bytes.subarray(index * ARTIFACT_CHUNK_BYTES, (index + 1) * ARTIFACT_CHUNK_BYTES)).toString('base64');
      await rpc.call(RegistrySubjects.uploadChunk, { uploadId: begin.uploadId, part: 'model', index, dataBase64: part });
    }
    const sha = createHash('sha256').update(bytes).digest('hex');
    const done = await rpc.call(RegistrySubjects.commitUpload, { uploadId: begin.uploadId, modelSha256: sha });
    expect(done.version).toMatchObject({ ref: 'big@1', sha256: sha, sizeBytes: bytes.byteLength });
    expect(done.validation!.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining(['protobuf', 'ir-opsets', 'external-data', 'custom-ops', 'feature-schema', 'outputs', 'batch-dimension', 'test-inference']),
    );
    const report = await rpc.call(RegistrySubjects.getValidation, { ref: 'big@1' });
    expect(report.ref).toBe('big@1');

    const incomplete = await rpc.call(RegistrySubjects.beginUpload, { model: 'big', modelBytes: bytes.byteLength, createdBy: 'spec' });
    expect((await errorOf(rpc.call(RegistrySubjects.commitUpload, { uploadId: incomplete.uploadId }))).message).toMatch(/incomplete: 0 of \d+ chunks/);
  });
});
