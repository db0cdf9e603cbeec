import { DiscardPolicy, RetentionPolicy, StorageType, nanos, type JetStreamManager, type NatsConnection, type StreamConfig } from 'nats';
import { AnalysisSubjects, JetStreamNames, LogSubjects } from '@loglens/contracts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates (or leaves alone) the streams and buckets the analysis path needs. Idempotent and safe to run from
 * every agent and registry instance at start.
 */
export async function ensureAnalysisInfrastructure(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await ensureStream(jsm, {
    name: JetStreamNames.logs,
    subjects: [LogSubjects.all],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(7 * DAY_MS),
    duplicate_window: nanos(2 * 60_000),
  });
  await ensureStream(jsm, {
    name: JetStreamNames.analysis,
    subjects: [AnalysisSubjects.allResults, AnalysisSubjects.allAnomalies],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(30 * DAY_MS),
    // a window republished after an agent restart carries the same message id and is dropped here
    duplicate_window: nanos(15 * 60_000),
  });
  const js = nc.jetstream();
  await js.views.kv(JetStreamNames.agentState, { history: 1 });
  await js.views.os(JetStreamNames.payloads, { ttl: nanos(60 * 60_000) });
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
  } catch {
    try {
      await jsm.streams.add(config);
    } catch (e) {
      // another instance created it between our two calls
      if (!/already in use/i.test((e as Error).message)) throw e;
    }
  }
}
