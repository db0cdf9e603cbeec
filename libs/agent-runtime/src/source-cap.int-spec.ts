import type { NatsConnection } from 'nats';
import { JetStreamNames, LogSubjects, jetStreamName, subjectToken } from '@loglens/contracts';
import { ensureAnalysisInfrastructure } from '@loglens/nest-common';
import { connectTestNats, waitFor } from '@loglens/testing';
import { BasePipeline } from './lib/pipelines/base-pipeline';
import { StreamAgent } from './lib/stream-agent';
import type { WindowScorer } from './lib/window-scorer';

/** Scores nothing (no model): the spec is about which pipelines the agent keeps, not about scores. */
const noScores = {
  score: async (rows: number[][]) => rows.map(() => ({ score: null, isAnomaly: false, threshold: null, modelVersion: null, topFeatures: [] })),
} as unknown as WindowScorer;

describe('StreamAgent keeps at most AGENT_MAX_SOURCES pipelines in memory', () => {
  let nc: NatsConnection;
  let agent: StreamAgent | undefined;
  const run = Date.now().toString(36);
  const durable = jetStreamName(`source-cap-spec-${run}`);
  const sources = Array.from({ length: 12 }, (_, i) => `cap-${run}-${i}`);

  beforeAll(async () => {
    nc = await connectTestNats('source-cap-int-spec');
    await ensureAnalysisInfrastructure(nc);
  });

  afterAll(async () => {
    await agent?.stop();
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.delete(JetStreamNames.logs, durable).catch(() => false);
    await nc?.close();
  });

  it('publishes and saves the least recently active source before dropping it, and acknowledges every record', async () => {
    const js = nc.jetstream();
    const t0 = Date.parse('2026-12-01T00:00:00Z');
    for (let r = 0; r < 3; r++) {
      for (const [i, source] of sources.entries()) {
        await js.publish(`${LogSubjects.generic}.${subjectToken(source)}`, new TextEncoder().encode(JSON.stringify({ message: `job ${i} step ${r} done`, timestamp: new Date(t0 + r * 1000 + i).toISOString() })));
      }
    }
    agent = new StreamAgent(nc, {
      kind: 'base',
      filterSubject: `${LogSubjects.generic}.>`,
      durable,
      factory: (_source, state) => new BasePipeline(null, state),
      scorer: noScores,
      maxInFlight: 10_000,
      idleFlushMs: 300,
      ackWaitMs: 30_000,
      maxSources: 3,
    });
    await agent.start();
    const jsm = await nc.jetstreamManager();
    await waitFor('every record to be acknowledged', async () => {
      const info = await jsm.consumers.info(JetStreamNames.logs, durable);
      return info.num_pending === 0 && info.num_ack_pending === 0 ? info : undefined;
    });
    const stats = agent.stats();
    expect(stats.sources).toBeLessThanOrEqual(3);
    // 12 sources taking turns through 3 slots: every new record of a dropped source evicts another one
    expect(stats.evictions.sources).toBeGreaterThanOrEqual(sources.length * 3 - 3);
    // an evicted source's templates are in the KV bucket, so the next pipeline starts from them
    const kv = await js.views.kv(JetStreamNames.agentState);
    for (const source of sources) expect((await kv.get(`base.${subjectToken(source)}`))?.value.length).toBeGreaterThan(0);
  });
});
