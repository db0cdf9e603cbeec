import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { AnalysisSubjects, HealthSubjects, LogSubjects, RegistrySubjects, type WindowResultDto } from '@loglens/contracts';
import { chooseArm } from '@loglens/experiments';
import { RpcClient, ensureAnalysisInfrastructure, scatterGather } from '@loglens/nest-common';
import { startNatsServer, type NatsHandle } from '@loglens/dev-infra';
import { deployVersion, dropSchema, registerVersion, spawnService, testDatabaseUrl, uniqueSchema, waitFor, workspaceRoot, type RunningService } from '@loglens/testing';

/** Runs a workspace tool (tools/…) to completion. */
function tool(args: string[]): void {
  execFileSync(process.execPath, ['tools/ts-run.mjs', ...args], { cwd: workspaceRoot(), stdio: 'ignore' });
}

/** A model trained by tools/train (libs/training): its ONNX bytes and registry metadata. */
function trained(dir: string): { onnx: Uint8Array; metadata: Record<string, unknown> } {
  const meta = JSON.parse(readFileSync(path.join(dir, 'metadata.json'), 'utf8')) as { metadata: Record<string, unknown> };
  return { onnx: readFileSync(path.join(dir, 'model.onnx')), metadata: meta.metadata };
}

/** Standard normal density. */
const phi = (t: number) => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);

/**
 * The two-sided normal tail by hand, without the library's erfc: 2 ∫_{|z|}^{|z|+12} φ(t) dt by Simpson's rule on
 * 200,000 intervals (the step's error term is below 1e-15; beyond 12 σ more the tail is below 1e-33).
 */
function twoSidedTail(z: number): number {
  const a = Math.abs(z);
  const n = 200_000;
  const h = 12 / n;
  let sum = phi(a) + phi(a + 12);
  for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * phi(a + i * h);
  return Math.min(1, (2 * sum * h) / 3);
}

/**
 * An A/B test between the default wifi-anomaly model (isolation forest, tools/models' recipe) and a candidate retrained
 * with libs/training (PCA reconstruction error on 2 other simulated days), on a simulated quarter day replayed through
 * the WiFi agent under six sites. The experiment is sticky by source; the agent sends each window's source with its
 * row (rowKeys), so the workers split each batch by arm. The report's anomaly-rate test must match a hand computation
 * on the stored windows: each window counted once, on the version that scored it (an explained anomaly is not a
 * second sample), and the two-proportion z-test's p-value to 1e-9 of itself.
 */
describe('A/B between the default wifi-anomaly and a retrained candidate on replayed logs through the agent', () => {
  const schema = uniqueSchema('wifi_ab');
  const run = Date.now().toString(36);
  let nc: NatsConnection;
  let rpc: RpcClient;
  // a NATS of its own: on a shared one the LOGS stream holds other runs' WiFi records, which a fresh agent consumer
  // would read and score through this experiment too (the report then counts windows the spec never stored)
  let nats: NatsHandle;
  let natsUrl: string;
  const services: RunningService[] = [];
  const models = mkdtempSync(path.join(tmpdir(), 'loglens-wifi-ab-'));

  beforeAll(async () => {
    // both models trained here, the same way `npm run train` does (deterministic for a given seed)
    tool(['tools/train/train.ts', '--model', 'wifi-anomaly', '--out', path.join(models, 'default')]);
    tool(['tools/train/train.ts', '--model', 'wifi-anomaly', '--algorithm', 'pca', '--days', '2', '--seed', '2', '--out', path.join(models, 'candidate')]);
    tool(['tools/sim/wifi-sim.ts', '--days', '0.25', '--seed', '7', '--incident', 'deauth-flood@ap-2f-a@0T03:00+15', '--out', path.join(models, 'replay.log')]);
    nats = await startNatsServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'loglens-wifi-ab-nats-')) });
    natsUrl = nats.url;
    nc = await connect({ servers: natsUrl, name: 'wifi-ab-int-spec' });
    rpc = new RpcClient(nc, 30_000);
    await ensureAnalysisInfrastructure(nc);
    services.push(await spawnService('registry', nc, { NATS_URL: natsUrl, DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema }));
    services.push(await spawnService('inference-worker', nc, { NATS_URL: natsUrl }));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await nc?.close();
    await nats?.stop();
    await dropSchema(schema);
  });

  it('reports the anomaly-rate difference and its p-value as computed by hand from the stored windows', async () => {
    const control = await registerVersion(rpc, { model: 'wifi-anomaly', ...trained(path.join(models, 'default')), createdBy: 'spec' });
    await deployVersion(rpc, control, { actor: 'spec' });
    const candidate = await registerVersion(rpc, { model: 'wifi-anomaly', ...trained(path.join(models, 'candidate')), createdBy: 'spec' });
    const e = await rpc.call(RegistrySubjects.createExperiment, {
      model: 'wifi-anomaly',
      kind: 'ab',
      candidates: [{ version: candidate.split('@')[1], weight: 50 }],
      stickiness: { key: 'source' },
      criteria: { maxErrorRate: 0.01, maxP99Ms: 10_000, minSamples: 10 },
      actor: 'spec',
    });
    expect(e.control).toBe(control);
    // six sites, three on each arm by the experiment's own hash (so the split is known, not left to chance)
    const sites: string[] = [];
    const onArm: Record<string, number> = { [control]: 0, [candidate]: 0 };
    for (let i = 0; sites.length < 6; i++) {
      const site = `ab${run}s${i}`;
      const arm = chooseArm({ experimentId: e.id, control: e.control, candidates: e.candidates }, site);
      if (onArm[arm] < 3) {
        onArm[arm]++;
        sites.push(site);
      }
    }
    const agent = await spawnService('agent-wifi', nc, { NATS_URL: natsUrl, AGENT_IDLE_FLUSH_MS: '4000' });
    services.push(agent);
    // the workers route by the experiment before the first window is scored
    await waitFor('the worker to route wifi-anomaly by the experiment', async () => {
      const replies = (await scatterGather(nc, HealthSubjects.ping, 200)).filter((r) => r.service === 'inference-worker');
      return replies.some((r) => (r.details?.['experiments'] as Record<string, { id: string }> | undefined)?.['wifi-anomaly']?.id === e.id) ? true : undefined;
    }, { timeoutMs: 20_000 });
    const lines = readFileSync(path.join(models, 'replay.log'), 'utf8').split('\n').filter((l) => l.length > 0);
    const js = nc.jetstream();
    for (const site of sites) {
      for (let i = 0; i < lines.length; i += 1000) {
        await Promise.all(lines.slice(i, i + 1000).map((l) => js.publish(`${LogSubjects.wifi}.${site}`, new TextEncoder().encode(l))));
      }
    }
    const stored = await waitFor(
      'every replayed line of every site in a stored window',
      async () => {
        const all: WindowResultDto[] = [];
        for (const source of sites) all.push(...(await rpc.call(AnalysisSubjects.listResults, { source, limit: 1000 })).results);
        const perSite = sites.map((s) => all.filter((r) => r.source === s).reduce((n, r) => n + r.recordCount, 0));
        return perSite.every((n) => n >= lines.length) ? all : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 1000 },
    );
    // by hand: windows and flagged windows per version, from what was stored
    const count = (ref: string) => {
      const mine = stored.filter((r) => r.modelVersion === ref);
      return { n: mine.length, x: mine.filter((r) => r.isAnomaly).length };
    };
    const a = count(control);
    const b = count(candidate);
    expect(a.n + b.n).toBe(stored.length);
    // sticky by source: each site's windows all scored by the arm its name hashes to
    for (const site of sites) {
      const arm = chooseArm({ experimentId: e.id, control: e.control, candidates: e.candidates }, site);
      expect(new Set(stored.filter((r) => r.source === site).map((r) => r.modelVersion))).toEqual(new Set([arm]));
    }
    const difference = b.x / b.n - a.x / a.n;
    const pooled = (a.x + b.x) / (a.n + b.n);
    const z = difference / Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
    const pValue = twoSidedTail(z);

    type Test = { nA: number; nB: number; rateA: number; rateB: number; difference: number; z: number; pValue: number };
    const report = await waitFor(
      'the report to count every stored window',
      async () => {
        const r = (await rpc.call(RegistrySubjects.experimentReport, { id: e.id })) as unknown as {
          arms: Array<{ version: string; rows: number; anomalies: number }>;
          comparisons: Array<{ version: string; anomalyRate: Test }>;
        };
        return r.arms.reduce((s, arm) => s + arm.rows, 0) >= stored.length ? r : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(report.arms.map((arm) => [arm.version, arm.rows, arm.anomalies])).toEqual([
      [control, a.n, a.x],
      [candidate, b.n, b.x],
    ]);
    const test = report.comparisons[0].anomalyRate;
    expect(test).toMatchObject({ nA: a.n, nB: b.n });
    expect(Math.abs(test.difference - difference)).toBeLessThan(1e-12);
    expect(Math.abs(test.z - z)).toBeLessThan(1e-9);
    // relative, so a tiny p-value is checked to its own digits: the earlier Chebyshev erfc (1.2e-7) fails this
    expect(Math.abs(test.pValue - pValue)).toBeLessThanOrEqual(1e-9 * pValue);
    // the two models do flag differently on the same logs (else the comparison says nothing)
    expect(a.x + b.x).toBeGreaterThan(0);
    console.log(`wifi A/B: ${control} ${a.x}/${a.n} windows flagged, ${candidate} ${b.x}/${b.n}; difference ${difference.toFixed(4)}, z ${z.toFixed(3)}, p ${pValue.toExponential(6)} (report ${test.pValue.toExponential(6)})`);
    await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'abort', actor: 'spec' });
  }, 420_000);
});
