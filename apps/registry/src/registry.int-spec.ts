import { createHash } from 'node:crypto';
import type { NatsConnection } from 'nats';
import {
  AnalysisSubjects,
  DEAD_LETTER_HEADERS,
  DeadLetterSubjects,
  JetStreamNames,
  RegistrySubjects,
  VersionDeployedEvent,
  type ModelVersionDto,
  type RegisterVersionRequest,
} from '@loglens/contracts';
import { EventBus, RpcClient } from '@loglens/nest-common';
import { OnnxGraphBuilder, writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, errorOf, dropSchema, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, windowResult, type RunningService } from '@loglens/testing';

function logisticModel(width: number, bias = 0): Uint8Array {
  return writeLogisticRegressionModel({
    featureNames: Array.from({ length: width }, (_, i) => `f${i}`),
    mean: new Array(width).fill(0),
    scale: new Array(width).fill(1),
    weights: Array.from({ length: width }, (_, i) => ((i % 7) - 3) / 10),
    bias,
  });
}

function registerRequest(model: string, bytes: Uint8Array, metadata: Record<string, unknown> = {}): RegisterVersionRequest {
  return { model, artifactBase64: Buffer.from(bytes).toString('base64'), metadata, createdBy: 'int-spec' };
}

describe('registry over NATS with a real Postgres', () => {
  const schema = uniqueSchema('registry');
  let nc: NatsConnection;
  let rpc: RpcClient;
  let registry: RunningService;
  let worker: RunningService | undefined;

  beforeAll(async () => {
    nc = await connectTestNats('registry-int-spec');
    rpc = new RpcClient(nc, 15_000);
    registry = await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema });
    // validation ends with a test inference in a worker: without one a version cannot become deployable
    worker = await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() });
  });

  afterAll(async () => {
    await worker?.stop();
    await registry?.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('starts on an empty schema by applying its migrations, and lists no models', async () => {
    const reply = await rpc.call(RegistrySubjects.listModels, {});
    expect(reply.models).toEqual([]);
  });

  it('registers a version with the sha256, size and signature read from the file itself', async () => {
    const bytes = logisticModel(5);
    const featureSchema = { version: 't.v1', features: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, dtype: 'float32' })) };
    const reply = await rpc.call(
      RegistrySubjects.registerVersion,
      registerRequest('alpha', bytes, { featureSchema, threshold: 0.7, trainedOn: 'unit' }),
    );
    expect(reply.duplicateOf).toBeNull();
    const v = reply.version;
    expect(v.ref).toBe('alpha@1');
    expect(v.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(v.sizeBytes).toBe(bytes.byteLength);
    expect(v.signature.inputs).toEqual([{ name: 'features', kind: 'tensor', elemType: 'float32', shape: ['N', 5] }]);
    expect(v.signature.outputs[0]).toMatchObject({ name: 'score', kind: 'tensor', elemType: 'float32' });
    expect(v.featureSchema?.features.map((f) => f.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(v.threshold).toBe(0.7);
    expect(v.metadata).toEqual({ trainedOn: 'unit' });
    // the test inference ran in the worker
    expect(v.status).toBe('validated');
    expect(v.validation).toBe('pass');
  });

  it('gives back the existing version when the same bytes are registered again, and numbers new ones', async () => {
    const again = await rpc.call(RegistrySubjects.registerVersion, registerRequest('alpha', logisticModel(5)));
    expect(again.duplicateOf).toBe('alpha@1');
    const second = await rpc.call(RegistrySubjects.registerVersion, registerRequest('alpha', logisticModel(5, 1)));
    expect(second.version.ref).toBe('alpha@2');
    const latest = await rpc.call(RegistrySubjects.getVersion, { ref: 'alpha@latest' });
    expect(latest.version).toBe(2);
  });

  it('refuses bytes that are not ONNX, and a feature schema that does not fit the input', async () => {
    const garbage = await errorOf(rpc.call(RegistrySubjects.registerVersion, registerRequest('beta', new TextEncoder().encode('not a model at all'))));
    expect(garbage.code).toBe('INVALID_MODEL');
    // the checks travel as records; `details` keeps them as readable lines for API users
    expect(garbage.checks?.[0]).toMatchObject({ check: 'protobuf', outcome: 'fail', message: expect.stringMatching(/not a readable ONNX model/) });
    expect(garbage.details).toEqual(garbage.checks?.map((c) => `${c.outcome}: ${c.check}: ${c.message}`));
    const schemaMismatch = await errorOf(
      rpc.call(RegistrySubjects.registerVersion, registerRequest('beta', logisticModel(3), { featureSchema: { version: 'x', features: [{ name: 'only-one' }] } })),
    );
    expect(schemaMismatch.code).toBe('INVALID_MODEL');
    expect(schemaMismatch.message).toMatch(/1 features but input "features" takes 3/);
    const { models } = await rpc.call(RegistrySubjects.listModels, {});
    expect(models.find((m) => m.name === 'beta')).toBeUndefined();
  });

  it('deploys atomically, broadcasts the change and reports the serving state', async () => {
    const events: VersionDeployedEvent[] = [];
    const sub = new EventBus(nc).subscribe(RegistrySubjects.versionDeployed, VersionDeployedEvent, (e) => {
      events.push(e);
    });
    const first = await rpc.call(RegistrySubjects.deployVersion, { ref: 'alpha@1', actor: 'int-spec' });
    expect(first).toMatchObject({ model: 'alpha', from: null, to: 'alpha@1' });
    const second = await rpc.call(RegistrySubjects.deployVersion, { ref: 'alpha@2', actor: 'int-spec', reason: 'newer' });
    expect(second).toMatchObject({ from: 'alpha@1', to: 'alpha@2' });

    const state = await rpc.call(RegistrySubjects.servingState, {});
    expect(state.serving.map((s) => s.ref)).toEqual(['alpha@2']);
    const { models } = await rpc.call(RegistrySubjects.listModels, {});
    const alpha = models.find((m) => m.name === 'alpha')!;
    expect(alpha.servingVersion).toBe('alpha@2');
    expect(alpha.versions.map((v) => [v.ref, v.status])).toEqual([
      ['alpha@1', 'retired'],
      ['alpha@2', 'serving'],
    ]);
    const bare = await rpc.call(RegistrySubjects.getVersion, { ref: 'alpha' });
    expect(bare.ref).toBe('alpha@2');
    // what a worker loads for a pinned reference: the same binding as the serving state gives, for any version
    const pinned = await rpc.call(RegistrySubjects.servingInfo, { ref: 'alpha@1' });
    const retired = await rpc.call(RegistrySubjects.getVersion, { ref: 'alpha@1' });
    expect(pinned).toMatchObject({ model: 'alpha', ref: 'alpha@1', version: 1, sha256: retired.sha256, deployedAt: retired.createdAt });
    expect(await rpc.call(RegistrySubjects.servingInfo, { ref: 'alpha@latest' })).toEqual(state.serving[0]);
    expect((await errorOf(rpc.call(RegistrySubjects.servingInfo, { ref: 'alpha@9' }))).code).toBe('NOT_FOUND');

    await nc.flush();
    // both deploys' broadcasts: wait for them, not a fixed time
    await waitFor('both deploy events', () => (events.length >= 2 ? true : undefined), { timeoutMs: 10_000 }).catch(() => undefined);
    sub.unsubscribe();
    expect(events.map((e) => [e.previousRef, e.serving.ref, e.action])).toEqual([
      [null, 'alpha@1', 'deploy'],
      ['alpha@1', 'alpha@2', 'deploy'],
    ]);
  });

  it('serves an artifact in chunks that reassemble to its sha256', async () => {
    // ~400 KiB: more than one 256 KiB chunk, still under the inline registration limit
    const bytes = logisticModel(20_000);
    const { version } = await rpc.call(RegistrySubjects.registerVersion, registerRequest('wide', bytes));
    const first = await rpc.call(RegistrySubjects.getArtifactChunk, { sha256: version.sha256, index: 0 });
    expect(first.totalChunks).toBe(2);
    const second = await rpc.call(RegistrySubjects.getArtifactChunk, { sha256: version.sha256, index: 1 });
    const joined = Buffer.concat([Buffer.from(first.dataBase64, 'base64'), Buffer.from(second.dataBase64, 'base64')]);
    expect(createHash('sha256').update(joined).digest('hex')).toBe(version.sha256);
    const outOfRange = await errorOf(rpc.call(RegistrySubjects.getArtifactChunk, { sha256: version.sha256, index: 2 }));
    expect(outOfRange.code).toBe('VALIDATION_FAILED');
  });

  it('answers typed errors, never a stack trace or silence, for bad requests', async () => {
    expect((await errorOf(rpc.call(RegistrySubjects.getVersion, { ref: 'Not A Ref' }))).code).toBe('VALIDATION_FAILED');
    expect((await errorOf(rpc.call(RegistrySubjects.getVersion, { ref: 'missing@1' }))).code).toBe('NOT_FOUND');
    expect((await errorOf(rpc.call(RegistrySubjects.deployVersion, { ref: 'alpha@9', actor: 'x' }))).message).toMatch(/no version 9/);
    const withExtraField = { ref: 'alpha@1', extra: true };
    expect((await errorOf(rpc.call(RegistrySubjects.getVersion, withExtraField))).message).toMatch(/extra/);

    // a plain NATS client sending something that is not JSON still gets a typed reply
    const raw = await nc.request(RegistrySubjects.getVersion, new TextEncoder().encode('{oops'), { timeout: 5000 });
    const body = JSON.parse(new TextDecoder().decode(raw.data)) as { err?: { code: string; message: string } };
    expect(body.err).toEqual({ code: 'VALIDATION_FAILED', message: 'payload is not valid JSON' });

    // and a plain JSON body without Nest's envelope works like any other request
    const plain = await nc.request(RegistrySubjects.getVersion, new TextEncoder().encode(JSON.stringify({ ref: 'alpha@1' })), { timeout: 5000 });
    expect((JSON.parse(new TextDecoder().decode(plain.data)) as { response: ModelVersionDto }).response.ref).toBe('alpha@1');
    expect(registry.process.exitCode).toBeNull();
  });

  it('refuses a model declaring a huge input before any test inference runs', async () => {
    const g = new OnnxGraphBuilder('huge');
    g.addInput('features', 'float32', [1, 536870912]);
    g.addOutput('score', 'float32', [1, 536870912]);
    g.addNode({ opType: 'Identity', name: 'id', inputs: ['features'], outputs: ['score'] });
    const bytes = g.toBytes();
    const err = await errorOf(rpc.call(RegistrySubjects.registerVersion, registerRequest('huge', bytes)));
    expect(err.code).toBe('INVALID_MODEL');
    // the wire-format pre-scan refuses it now, before anything decodes it (the per-row check stays behind it)
    expect(err.message).toMatch(/declared input, output or value shape has 536,870,912 elements.*ONNX_MAX_TENSOR_ELEMENTS/);
  });

  it('fails closed: with no worker to run the test inference the version is invalid, undeployable and never served', async () => {
    await worker?.stop();
    worker = undefined;
    const reply = await rpc.call(RegistrySubjects.registerVersion, registerRequest('closed', logisticModel(4)));
    expect(reply.version.status).toBe('invalid');
    expect(reply.version.validation).toBe('fail');
    const deploy = await errorOf(rpc.call(RegistrySubjects.deployVersion, { ref: 'closed@1', actor: 'int-spec' }));
    expect(deploy.code).toBe('CONFLICT');
    const pinned = await errorOf(rpc.call(RegistrySubjects.servingInfo, { ref: 'closed@1' }));
    expect(pinned.code).toBe('CONFLICT');
    expect(pinned.message).toMatch(/failed validation/);
  });

  it('stores the good results of a batch that holds a malformed one, and sets the bad one aside with its reason', async () => {
    const js = nc.jetstream();
    const result = (id: string, start: string) => windowResult({ id, source: 'poison-src', start, analyzedAt: start });
    const jsm = await nc.jetstreamManager();
    // the dead letters of this test come after what the stream holds now (on a shared NATS: other specs' too, or none
    // at all after a purge — sequences do not restart at 1)
    const lastSeq = async () => (await jsm.streams.info(JetStreamNames.deadLetter).catch(() => null))?.state.last_seq ?? 0;
    let seq = (await lastSeq()) + 1;
    const bad = result('x'.repeat(65), '2026-01-01T00:00:00.000Z');
    const good = result('good-result-1', '2026-01-01T00:01:00.000Z');
    await js.publish(`${AnalysisSubjects.results}.poison-src`, new TextEncoder().encode(JSON.stringify(bad)));
    await js.publish(`${AnalysisSubjects.results}.poison-src`, new TextEncoder().encode(JSON.stringify(good)));
    await js.publish(`${AnalysisSubjects.results}.poison-src`, new TextEncoder().encode('{not json'));
    const stored = async () => (await rpc.call(AnalysisSubjects.listResults, { source: 'poison-src' })).results;
    await waitFor('the good result to be stored', async () => ((await stored()).length > 0 ? true : undefined), { timeoutMs: 30_000 });
    expect((await stored()).map((r) => r.id)).toEqual(['good-result-1']);
    const reasons: string[] = [];
    await waitFor('two dead-lettered results', async () => {
      for (const last = await lastSeq(); seq <= last; seq++) {
        const m = await jsm.streams.getMessage(JetStreamNames.deadLetter, { seq }).catch(() => null);
        if (m?.subject === DeadLetterSubjects.analysis) reasons.push(m.header.get(DEAD_LETTER_HEADERS.reason));
      }
      return reasons.length >= 2 ? true : undefined;
    }, { timeoutMs: 30_000 }).catch(() => undefined);
    expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/"id" is longer than 64/), expect.stringMatching(/not JSON/)]));
  });
});
