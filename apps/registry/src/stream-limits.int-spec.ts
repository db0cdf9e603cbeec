import { connect, DiscardPolicy, RetentionPolicy, StorageType, nanos, type NatsConnection, type StreamConfig } from 'nats';
import { JetStreamNames, LogSubjects, AnalysisSubjects, DeadLetterSubjects, JobSubjects, TrainerStreams } from '@loglens/contracts';
import { ensureJobsStream, natsConnectOptions } from '@loglens/nest-common';
import { connectTestNats, dropSchema, natsCredentialEnv, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';

const MiB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the services set up before stream limits existed (copied from that version): no max_bytes anywhere. */
async function createAsTheOlderVersionDid(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const old: Array<Partial<StreamConfig> & { name: string }> = [
    { name: JetStreamNames.logs, subjects: [LogSubjects.all], storage: StorageType.File, retention: RetentionPolicy.Limits, discard: DiscardPolicy.Old, max_age: nanos(7 * DAY_MS), duplicate_window: nanos(2 * 60_000) },
    { name: JetStreamNames.analysis, subjects: [AnalysisSubjects.allResults, AnalysisSubjects.allAnomalies], storage: StorageType.File, retention: RetentionPolicy.Limits, discard: DiscardPolicy.Old, max_age: nanos(30 * DAY_MS) },
    { name: JetStreamNames.deadLetter, subjects: [DeadLetterSubjects.all], storage: StorageType.File, retention: RetentionPolicy.Limits, discard: DiscardPolicy.Old, max_age: nanos(30 * DAY_MS) },
    { name: TrainerStreams.jobs, subjects: [JobSubjects.trainWork], storage: StorageType.File, retention: RetentionPolicy.Workqueue, discard: DiscardPolicy.Old, max_age: nanos(7 * DAY_MS) },
  ];
  for (const name of [...old.map((c) => c.name), `KV_${JetStreamNames.agentState}`, `OBJ_${JetStreamNames.payloads}`]) await jsm.streams.delete(name).catch(() => false);
  for (const config of old) await jsm.streams.add(config);
  await nc.jetstream().views.kv(JetStreamNames.agentState, { history: 1 });
  await nc.jetstream().views.os(JetStreamNames.payloads, { ttl: nanos(60 * 60_000) });
}

describe('stream and bucket limits: applied at start to streams an older version created without them', () => {
  const schema = uniqueSchema('stream_limits');
  let nc: NatsConnection;
  let registry: RunningService | undefined;
  const env = {
    LOGS_STREAM_MAX_BYTES: String(MiB),
    LOGS_STREAM_MAX_AGE_MS: String(2 * DAY_MS),
    ANALYSIS_STREAM_MAX_BYTES: String(3 * MiB),
    DEADLETTER_STREAM_MAX_BYTES: String(2 * MiB),
    JOBS_STREAM_MAX_BYTES: String(4 * MiB),
    PAYLOADS_MAX_BYTES: String(5 * MiB),
    AGENT_STATE_MAX_BYTES: String(6 * MiB),
  };

  beforeAll(async () => {
    nc = await connectTestNats('stream-limits-int-spec');
    await createAsTheOlderVersionDid(nc);
  });

  afterAll(async () => {
    await registry?.stop();
    const jsm = await nc.jetstreamManager();
    // the next specs start from streams with the default limits
    for (const name of [JetStreamNames.logs, JetStreamNames.analysis, JetStreamNames.deadLetter, TrainerStreams.jobs]) await jsm.streams.delete(name).catch(() => false);
    await nc?.close();
    await dropSchema(schema);
  });

  async function configOf(name: string): Promise<StreamConfig> {
    return (await (await nc.jetstreamManager()).streams.info(name)).config;
  }

  it('a registry starting against the old streams gives each its max_bytes, max_age and discard policy', async () => {
    expect((await configOf(JetStreamNames.logs)).max_bytes).toBe(-1);
    registry = await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema, ...env });
    // the payloads bucket is the last one the start-up brings up to date
    await waitFor('every stream and bucket to get its limits', async () => ((await configOf(`OBJ_${JetStreamNames.payloads}`)).max_bytes === 5 * MiB ? true : undefined));
    const logs = await configOf(JetStreamNames.logs);
    expect(logs).toMatchObject({ max_bytes: MiB, max_age: nanos(2 * DAY_MS), discard: DiscardPolicy.New, duplicate_window: nanos(2 * 60_000) });
    expect(await configOf(JetStreamNames.analysis)).toMatchObject({ max_bytes: 3 * MiB, max_age: nanos(30 * DAY_MS), discard: DiscardPolicy.Old });
    expect(await configOf(JetStreamNames.deadLetter)).toMatchObject({ max_bytes: 2 * MiB, discard: DiscardPolicy.Old });
    expect(await configOf(`OBJ_${JetStreamNames.payloads}`)).toMatchObject({ max_bytes: 5 * MiB, max_age: nanos(60 * 60_000), discard: DiscardPolicy.New });
    expect(await configOf(`KV_${JetStreamNames.agentState}`)).toMatchObject({ max_bytes: 6 * MiB, discard: DiscardPolicy.New });
  });

  it('the JOBS work queue gets its limits from a service with its own credential', async () => {
    const asRegistry = await connect({ ...natsConnectOptions('registry', natsCredentialEnv('registry')), servers: testNatsUrl() });
    try {
      await ensureJobsStream(asRegistry, env);
    } finally {
      await asRegistry.close();
    }
    expect(await configOf(TrainerStreams.jobs)).toMatchObject({ max_bytes: 4 * MiB, discard: DiscardPolicy.New, retention: RetentionPolicy.Workqueue });
  });

  it('a full LOGS refuses the next record rather than dropping the oldest', async () => {
    const js = nc.jetstream();
    const line = new TextEncoder().encode('x'.repeat(16 * 1024));
    let refused: (Error & { api_error?: { description?: string } }) | null = null;
    let stored = 0;
    // 1 MiB of 16 KiB records: about 64 fit
    for (let i = 0; i < 200 && !refused; i++) {
      try {
        await js.publish(`${LogSubjects.generic}.limits-spec`, line);
        stored++;
      } catch (e) {
        refused = e as Error & { api_error?: { description?: string } };
      }
    }
    // nats.js reports the refusal as "503" with the reason in api_error
    expect(refused?.api_error?.description).toMatch(/maximum bytes exceeded/i);
    expect(stored).toBeGreaterThan(30);
    const state = (await (await nc.jetstreamManager()).streams.info(JetStreamNames.logs)).state;
    expect(state.first_seq).toBe(1);
    expect(state.messages).toBe(stored);
  });
});
