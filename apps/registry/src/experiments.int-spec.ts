import type { NatsConnection } from 'nats';
import {
  RegistrySubjects,
  type DeployVersionReply,
  type ExperimentChangedEvent,
  type ExperimentDto,
  type HistoryReply,
  type ListExperimentsReply,
  type RegisterVersionReply,
  type ServingStateReply,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, deployVersion, dropSchema, errorOf, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';

const model = (bias: number) =>
  writeLogisticRegressionModel({ featureNames: ['f0', 'f1', 'f2'], mean: [0, 0, 0], scale: [1, 1, 1], weights: [0.1, 0.1, 0.1], bias });

const criteria = { maxErrorRate: 0.01, maxP99Ms: 500, minSamples: 50 };
const canary = { stepWeight: 40, maxWeight: 50, intervalSec: 60, failureThreshold: 2 };

describe('registry experiments: one per model, deploys refused while it runs, history and events', () => {
  const schema = uniqueSchema('experiments');
  let nc: NatsConnection;
  let rpc: RpcClient;
  const services: RunningService[] = [];
  const events: ExperimentChangedEvent[] = [];

  const register = (name: string, bias: number): Promise<string> => registerVersion(rpc, { model: name, onnx: model(bias), createdBy: 'spec' });

  beforeAll(async () => {
    nc = await connectTestNats('experiments-int-spec');
    rpc = new RpcClient(nc, 20_000);
    nc.subscribe(RegistrySubjects.experimentChanged, { callback: (_e, msg) => events.push(msg.json<ExperimentChangedEvent>()) });
    const env = { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema };
    services.push(await spawnService('registry', nc, env));
    // versions are deployable once a worker ran their test inference
    services.push(await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() }));
    for (const bias of [0, 1, 2]) await register('exp', bias);
    await deployVersion(rpc, 'exp@1', { actor: 'alice' });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await nc?.close();
    await dropSchema(schema);
  });

  it('refuses a bad experiment with every problem named', async () => {
    const bad = await errorOf(
      rpc.call(RegistrySubjects.createExperiment, { model: 'exp', kind: 'canary', candidates: [{ version: '2', weight: 120 }], criteria, actor: 'alice' }),
    );
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.message).toMatch(/weight must not be greater than 100/);
    const noCanary = await errorOf(rpc.call(RegistrySubjects.createExperiment, { model: 'exp', kind: 'canary', candidates: [{ version: '2', weight: 10 }], criteria, actor: 'alice' }));
    expect(noCanary.message).toMatch(/a canary experiment needs canary/);
    const self = await errorOf(rpc.call(RegistrySubjects.createExperiment, { model: 'exp', kind: 'ab', candidates: [{ version: '1', weight: 50 }], criteria, actor: 'alice' }));
    expect(self.message).toMatch(/exp@1 is the control/);
  });

  it('runs one experiment per model and refuses a deploy or rollback of that model with 409 naming it', async () => {
    const e = await rpc.call(RegistrySubjects.createExperiment, {
      model: 'exp',
      kind: 'canary',
      candidates: [{ version: '2', weight: 10 }],
      stickiness: { key: 'source' },
      canary,
      criteria,
      actor: 'alice',
    });
    expect(e).toMatchObject({ model: 'exp', kind: 'canary', control: 'exp@1', candidates: [{ version: 'exp@2', weight: 10 }], state: 'running', failedChecks: 0 });
    expect(e.steps.map((s) => s.action)).toEqual(['start']);

    const again = await errorOf(rpc.call(RegistrySubjects.createExperiment, { model: 'exp', kind: 'ab', candidates: [{ version: '3', weight: 50 }], criteria, actor: 'bob' }));
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toContain(e.id);

    const deploy = await errorOf(rpc.call(RegistrySubjects.deployVersion, { ref: 'exp@3', actor: 'bob' }));
    expect(deploy.code).toBe('CONFLICT');
    expect(deploy.message).toContain(`canary experiment ${e.id}`);
    const rollback = await errorOf(rpc.call(RegistrySubjects.rollback, { model: 'exp', to: '3', actor: 'bob' }));
    expect(rollback.code).toBe('CONFLICT');
    expect(rollback.message).toContain(e.id);
    // nothing moved
    const state = await rpc.call(RegistrySubjects.servingState, {});
    expect(state.serving.find((s) => s.model === 'exp')?.ref).toBe('exp@1');

    const paused = await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'pause', actor: 'carol' });
    expect(paused.state).toBe('paused');
    // paused is still active: deploys stay refused
    expect((await errorOf(rpc.call(RegistrySubjects.deployVersion, { ref: 'exp@3', actor: 'bob' }))).code).toBe('CONFLICT');
    const resumed = await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'resume', actor: 'carol' });
    expect(resumed.state).toBe('running');

    const report = ((await rpc.call(
      RegistrySubjects.experimentReport,
      { id: e.id },
    )) as unknown as { arms: Array<{ version: string; requests: number }>; comparisons: unknown[]; recommendation: { winner: string | null } });
    expect(report.arms.map((a) => [a.version, a.requests])).toEqual([
      ['exp@1', 0],
      ['exp@2', 0],
    ]);
    expect(report.recommendation.winner).toBeNull();

    const promoted = await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'promote', actor: 'dave', reason: 'looks good' });
    expect(promoted).toMatchObject({ state: 'promoted', candidates: [{ version: 'exp@2', weight: 100 }] });
    expect(promoted.steps.map((s) => s.action)).toEqual(['start', 'pause', 'resume', 'promote']);
    expect((await rpc.call(RegistrySubjects.servingState, {})).serving.find((s) => s.model === 'exp')?.ref).toBe('exp@2');

    const { entries } = await rpc.call(RegistrySubjects.history, { model: 'exp', limit: 100 });
    expect(entries.slice(0, 4).map((h) => [h.kind, h.action, h.from, h.to, h.actor])).toEqual([
      ['serving', 'promote', 'exp@1', 'exp@2', 'dave'],
      ['experiment', 'exp-resume', 'exp@1', 'exp@2', 'carol'],
      ['experiment', 'exp-pause', 'exp@1', 'exp@2', 'carol'],
      ['experiment', 'exp-start', 'exp@1', 'exp@2', 'alice'],
    ]);
    expect(entries[0].reason).toContain(`experiment ${e.id}: looks good`);
    await waitFor('four experiment events', () => (events.filter((x) => x.experiment.id === e.id).length >= 4 ? true : undefined), { timeoutMs: 5000 });
    expect(events.filter((x) => x.experiment.id === e.id).map((x) => x.action)).toEqual(['start', 'pause', 'resume', 'promote']);

    // over: deploys and rollbacks work again
    const back = await rpc.call(RegistrySubjects.rollback, { model: 'exp', actor: 'bob' });
    expect(back).toMatchObject({ from: 'exp@2', to: 'exp@1' });
  });

  it('aborts an experiment: the control keeps serving and the model is free again', async () => {
    const e = await rpc.call(RegistrySubjects.createExperiment, {
      model: 'exp',
      kind: 'shadow',
      candidates: [{ version: '3', weight: 0 }],
      shadow: { percent: 100 },
      criteria,
      actor: 'alice',
    });
    const aborted = await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'abort', actor: 'alice', reason: 'enough' });
    expect(aborted).toMatchObject({ state: 'aborted', candidates: [{ version: 'exp@3', weight: 0 }] });
    expect(aborted.endedAt).not.toBeNull();
    expect((await errorOf(rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'resume', actor: 'alice' }))).message).toMatch(/is aborted/);
    const { experiments } = await rpc.call(RegistrySubjects.listExperiments, { model: 'exp' });
    expect(experiments.map((x) => x.state)).toEqual(['aborted', 'promoted']);
    await rpc.call(RegistrySubjects.deployVersion, { ref: 'exp@3', actor: 'bob' });
    expect((await errorOf(rpc.call(RegistrySubjects.getExperiment, { id: '00000000-0000-0000-0000-000000000000' }))).code).toBe('NOT_FOUND');
  });
});
