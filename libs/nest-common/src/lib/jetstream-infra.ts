import { DiscardPolicy, RetentionPolicy, StorageType, headers, nanos, type JetStreamManager, type JsMsg, type NatsConnection, type StreamConfig } from 'nats';
import { AnalysisSubjects, DEAD_LETTER_HEADERS, DeadLetterSubjects, JetStreamNames, LogSubjects } from '@loglens/contracts';

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
  await ensureStream(jsm, {
    name: JetStreamNames.deadLetter,
    subjects: [DeadLetterSubjects.all],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(30 * DAY_MS),
    max_bytes: 256 * 1024 * 1024,
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

/**
 * Sets a message aside in the DEADLETTER stream with the reason, where it came from and its sequence, then
 * terminates it so JetStream stops redelivering it. Nothing is dropped silently: what cannot be processed is kept,
 * with why, for 30 days.
 */
export async function deadLetter(nc: NatsConnection, subject: string, msg: JsMsg, reason: string): Promise<void> {
  const h = headers();
  h.set(DEAD_LETTER_HEADERS.reason, reason.slice(0, 1000));
  h.set(DEAD_LETTER_HEADERS.stream, msg.info.stream);
  h.set(DEAD_LETTER_HEADERS.sequence, String(msg.seq));
  h.set(DEAD_LETTER_HEADERS.subject, msg.subject);
  await nc.jetstream().publish(subject, msg.data, { headers: h });
  msg.term();
}
