// A source's template state survives an agent restart whatever its name: the AGENT_STATE key holds only the source's
// subject token (`site.a` → `site_a`), so the state is read back by the source's own name saved beside it (issue 16:
// a source with a dot never got its state back, and its template ids changed after every restart).
import type { NatsConnection } from 'nats';
import { JetStreamNames, LogSubjects } from '@loglens/contracts';
import { RpcClient, ensureAnalysisInfrastructure } from '@loglens/nest-common';
import { connectTestNats, waitFor } from '@loglens/testing';
import { BasePipeline, StreamAgent, WindowScorer, agentStateKey } from './index';

describe('StreamAgent template state across a restart', () => {
  jest.setTimeout(60_000);
  const run = Date.now().toString(36);
  /** two sources sharing one subject token: each must get its own state back */
  const dotted = `st${run}.a`;
  const underscored = `st${run}_a`;
  let nc: NatsConnection;
  const agents: StreamAgent[] = [];

  const agent = (test: string): StreamAgent => {
    const scorer = new WindowScorer(new RpcClient(nc, 5_000), `no-such-model-${run}`);
    const a = new StreamAgent(nc, {
      kind: 'base',
      // this run's subjects only (the NATS may be shared): the dotted sources and the one underscored
      consumers: [
        { durable: `agent-state-spec-${run}-${test}-dotted`, filterSubject: `${LogSubjects.generic}.st${run}.>` },
        { durable: `agent-state-spec-${run}-${test}-underscored`, filterSubject: `${LogSubjects.generic}.${underscored}` },
      ],
      factory: (_source, state) => new BasePipeline(null, state),
      scorer,
      maxInFlight: 1000,
      // no window closes during the spec: only the template state is under test
      idleFlushMs: 600_000,
      ackWaitMs: 30_000,
    });
    agents.push(a);
    return a;
  };

  beforeAll(async () => {
    nc = await connectTestNats('agent-state-int-spec');
    await ensureAnalysisInfrastructure(nc);
  });

  afterAll(async () => {
    for (const a of agents) await a.stop().catch(() => undefined);
    await nc?.close();
  });

  it('gives a source with a dot in its name its templates back after a restart, and keeps two sources sharing a token apart', async () => {
    const first = agent('shared');
    await first.start();
    const js = nc.jetstream();
    const publish = (source: string, lines: string[]) =>
      Promise.all(lines.map((l) => js.publish(`${LogSubjects.generic}.${source}`, new TextEncoder().encode(JSON.stringify({ message: l, timestamp: '2026-12-06T10:00:00Z' })))));
    await publish(dotted, ['job 1 started on node alpha', 'job 2 started on node beta', 'disk sda full on node gamma']);
    await publish(underscored, ['user bob logged in']);
    await waitFor('both sources windowed', async () => (first.stateOf(dotted) && first.stateOf(underscored) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
    await waitFor('every record windowed', async () => (first.stats().records >= 4 ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
    const dottedState = first.stateOf(dotted);
    const underscoredState = first.stateOf(underscored);
    expect(dottedState).not.toEqual(underscoredState);
    await first.stop();

    const kv = await nc.jetstream().views.kv(JetStreamNames.agentState, { history: 1 });
    // one key for both names (the token is lossy): the value names its source
    expect(agentStateKey('base', dotted)).toBe(agentStateKey('base', underscored));
    const stored = JSON.parse(new TextDecoder().decode((await kv.get(agentStateKey('base', dotted)))!.value)) as { source: string };
    expect([dotted, underscored]).toContain(stored.source);

    const second = agent('shared');
    await second.start();
    // the one saved last wins the shared key; the other is not handed the wrong source's templates
    const restored = stored.source === dotted ? dotted : underscored;
    const other = restored === dotted ? underscored : dotted;
    expect(second.stateOf(restored)).toEqual(restored === dotted ? dottedState : underscoredState);
    expect(second.stateOf(other)).toBeUndefined();
    await second.stop();
  });

  it('gives the dotted source its templates back when it is the only one under its token', async () => {
    const source = `st${run}.only.b`;
    const first = agent('only');
    await first.start();
    await nc.jetstream().publish(`${LogSubjects.generic}.${source}`, new TextEncoder().encode(JSON.stringify({ message: 'cache warmed in 12 ms', timestamp: '2026-12-06T10:00:00Z' })));
    await waitFor('the source windowed', async () => first.stateOf(source), { timeoutMs: 20_000, intervalMs: 100 });
    const state = first.stateOf(source);
    await first.stop();
    const second = agent('only');
    await second.start();
    expect(second.stateOf(source)).toEqual(state);
    await second.stop();
  });
});
