import type { NatsConnection } from 'nats';
import {
  JobSubjects,
  LogSubjects,
  RegistrySubjects,
  TrainerStreams,
  type CreateTrainJobRequest,
  type JobChangedEvent,
  type SourceBindingEvent,
} from '@loglens/contracts';
import { RpcClient, ensureAnalysisInfrastructure } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, dropSchema, errorOf, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';

function model(width: number, bias: number): Uint8Array {
  return writeLogisticRegressionModel({
    featureNames: Array.from({ length: width }, (_, i) => `f${i}`),
    mean: new Array(width).fill(0),
    scale: new Array(width).fill(1),
    weights: new Array(width).fill(0.1),
    bias,
  });
}

describe('registry: source bindings and train jobs over NATS with a real Postgres', () => {
  const schema = uniqueSchema('sources');
  const source = `app${Date.now().toString(36)}`;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let registry: RunningService;
  const bindingEvents: Array<{ subject: string; event: SourceBindingEvent }> = [];
  const jobEvents: Array<{ subject: string; event: JobChangedEvent }> = [];

  beforeAll(async () => {
    nc = await connectTestNats('sources-int-spec');
    rpc = new RpcClient(nc, 15_000);
    registry = await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema });
    const decode = (d: Uint8Array) => JSON.parse(new TextDecoder().decode(d));
    for (const subject of [RegistrySubjects.sourceBound, RegistrySubjects.sourceUnbound]) {
      nc.subscribe(subject, { callback: (_e, m) => bindingEvents.push({ subject: m.subject, event: decode(m.data) }) });
    }
    nc.subscribe(JobSubjects.allEvents, { callback: (_e, m) => jobEvents.push({ subject: m.subject, event: decode(m.data) }) });
    // a binding needs the model, not a serving version (no worker runs here, so none could be validated)
    for (const [name, bias] of [['src-a', -1], ['src-b', -2]] as const) {
      await registerVersion(rpc, { model: name, onnx: model(4, bias), createdBy: 'spec' });
    }
  });

  afterAll(async () => {
    // work items of this spec's jobs must not reach a trainer of another spec
    const jsm = await nc.jetstreamManager();
    await jsm.streams.purge(TrainerStreams.jobs).catch(() => undefined);
    await registry?.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('refuses to bind a source to a model that does not exist (404) and a bad source name (400 naming it)', async () => {
    const missing = await errorOf(rpc.call(RegistrySubjects.bindSource, { source, model: 'no-such-model', actor: 'ops' }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/no-such-model/);
    const bad = await errorOf(rpc.call(RegistrySubjects.bindSource, { source: 'a b', model: 'src-a', actor: 'ops' }));
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.message).toMatch(/source/);
  });

  it('binds, re-binds and unbinds a source, each change in the history with actor and reason, and broadcast', async () => {
    const bound = await rpc.call(RegistrySubjects.bindSource, { source, model: 'src-a', actor: 'alice', reason: 'own model' });
    expect(bound).toMatchObject({ source, model: 'src-a', agent: 'base', boundBy: 'alice' });
    // the same binding again changes nothing and records nothing
    await rpc.call(RegistrySubjects.bindSource, { source, model: 'src-a', actor: 'alice' });
    const rebound = await rpc.call(RegistrySubjects.bindSource, { source, model: 'src-b', actor: 'bob' });
    expect(rebound.model).toBe('src-b');
    const list = await rpc.call(RegistrySubjects.listBindings, {});
    expect(list.bindings.filter((b) => b.source === source)).toEqual([rebound]);
    expect((await rpc.call(RegistrySubjects.listBindings, { agent: 'wifi' })).bindings).toEqual([]);

    const historyA = (await rpc.call(RegistrySubjects.history, { model: 'src-a' })).entries.filter((e) => e.kind === 'binding');
    expect(historyA.map((e) => [e.action, e.source, e.actor, e.reason])).toEqual([
      ['unbind', source, 'bob', `source "${source}" bound to "src-b" instead`],
      ['bind', source, 'alice', 'own model'],
    ]);
    const unbound = await rpc.call(RegistrySubjects.unbindSource, { source, actor: 'carol', reason: 'back to default' });
    expect(unbound.model).toBe('src-b');
    const historyB = (await rpc.call(RegistrySubjects.history, { model: 'src-b' })).entries.filter((e) => e.kind === 'binding');
    expect(historyB.map((e) => [e.action, e.actor, e.reason])).toEqual([
      ['unbind', 'carol', 'back to default'],
      ['bind', 'bob', 'was bound to "src-a"'],
    ]);
    // the history stays one gap-free line per model, bindings included
    const seqs = (await rpc.call(RegistrySubjects.history, { model: 'src-b' })).entries.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs.length - i));
    expect((await errorOf(rpc.call(RegistrySubjects.unbindSource, { source, actor: 'carol' }))).code).toBe('NOT_FOUND');

    await waitFor('three binding events', () => (bindingEvents.length >= 3 ? true : undefined), { timeoutMs: 10_000 });
    expect(bindingEvents.map((e) => [e.subject, e.event.binding?.model ?? null, e.event.previous?.model ?? null])).toEqual([
      [RegistrySubjects.sourceBound, 'src-a', null],
      [RegistrySubjects.sourceBound, 'src-b', 'src-a'],
      [RegistrySubjects.sourceUnbound, null, 'src-b'],
    ]);
  });

  it('refuses a train job for a source LOGS has never seen (404), queues one with a work item, lists and gets it, and takes reports only from the trainer holding it', async () => {
    const unknown = await errorOf(rpc.call(RegistrySubjects.createJob, { model: 'src-new', params: { sources: [source] }, createdBy: 'alice' }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toMatch(new RegExp(`no logs for source "${source}"`));
    await ensureAnalysisInfrastructure(nc);
    await nc.jetstream().publish(`${LogSubjects.generic}.${source}`, new TextEncoder().encode('a line'));
    const req: CreateTrainJobRequest = { model: 'src-new', params: { sources: [source], algorithm: 'pca', deploy: true, bind: true }, createdBy: 'alice' };
    const job = await rpc.call(RegistrySubjects.createJob, req);
    expect(job).toMatchObject({ kind: 'train', model: 'src-new', state: 'queued', params: req.params, createdBy: 'alice', progress: { stage: 'queued' } });
    const jsm = await nc.jetstreamManager();
    const item = await jsm.streams.getMessage(TrainerStreams.jobs, { last_by_subj: JobSubjects.trainWork });
    expect(JSON.parse(new TextDecoder().decode(item.data))).toEqual({ jobId: job.id });

    expect(await rpc.call(RegistrySubjects.getJob, { id: job.id })).toEqual(job);
    expect((await rpc.call(RegistrySubjects.listJobs, { model: 'src-new', state: 'queued' })).jobs.map((j) => j.id)).toEqual([job.id]);
    expect((await rpc.call(RegistrySubjects.listJobs, { state: 'running' })).jobs).toEqual([]);

    const running = await rpc.call(RegistrySubjects.updateJob, { id: job.id, state: 'running', worker: 't1', progress: { stage: 'reading', done: 0, total: 10 } });
    expect(running.state).toBe('running');
    const stranger = await errorOf(rpc.call(RegistrySubjects.updateJob, { id: job.id, worker: 't2', progress: { stage: 'training', done: 1, total: 2 } }));
    expect(stranger.code).toBe('CONFLICT');
    await rpc.call(RegistrySubjects.updateJob, { id: job.id, worker: 't1', progress: { stage: 'training', done: 1, total: 2 } });
    const done = await rpc.call(RegistrySubjects.updateJob, {
      id: job.id,
      worker: 't1',
      state: 'succeeded',
      result: { version: 'src-new@1', summary: { lines: 10 }, validation: 'pass' },
    });
    expect(done).toMatchObject({ state: 'succeeded', result: { version: 'src-new@1' } });
    expect((await errorOf(rpc.call(RegistrySubjects.updateJob, { id: job.id, worker: 't1', state: 'failed' }))).code).toBe('CONFLICT');

    await waitFor('four job events', () => (jobEvents.filter((e) => e.event.job.id === job.id).length >= 4 ? true : undefined), { timeoutMs: 10_000 });
    expect(jobEvents.filter((e) => e.event.job.id === job.id).map((e) => e.subject)).toEqual([JobSubjects.queued, JobSubjects.running, JobSubjects.progress, JobSubjects.succeeded]);
  });

  it('answers an unknown job with 404 and bad train parameters with errors naming the field', async () => {
    expect((await errorOf(rpc.call(RegistrySubjects.getJob, { id: '00000000-0000-4000-8000-000000000000' }))).code).toBe('NOT_FOUND');
    const bad = await errorOf(rpc.call(RegistrySubjects.createJob, { model: 'm', params: { sources: ['x'], topK: 0 }, createdBy: 'a' }));
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.message).toMatch(/topK/);
  });
});
