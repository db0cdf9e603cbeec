import { RetentionPolicy, StorageType, headers, nanos, type JsMsg, type NatsConnection } from 'nats';
import { DEAD_LETTER_HEADERS, JetStreamNames, LOG_BATCH_HEADER, StreamSubjects } from '@loglens/contracts';
import { applyLimits, ensureStreamWithLimits, streamLimits } from './stream-limits';

/**
 * Creates the streams and buckets the analysis path needs, with their size and age limits (see streamLimits), and
 * brings ones an older version made without limits up to them. Idempotent and safe to run from every agent, gateway,
 * ingest and registry instance at start.
 */
export async function ensureAnalysisInfrastructure(nc: NatsConnection, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const limits = streamLimits(env);
  const jsm = await nc.jetstreamManager();
  await ensureStreamWithLimits(
    jsm,
    {
      name: JetStreamNames.logs,
      subjects: [...StreamSubjects[JetStreamNames.logs]],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: nanos(2 * 60_000),
    },
    limits.logs,
  );
  await ensureStreamWithLimits(
    jsm,
    {
      name: JetStreamNames.analysis,
      subjects: [...StreamSubjects[JetStreamNames.analysis]],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      // a window republished after an agent restart carries the same message id and is dropped here
      duplicate_window: nanos(15 * 60_000),
    },
    limits.analysis,
  );
  await ensureStreamWithLimits(
    jsm,
    { name: JetStreamNames.deadLetter, subjects: [...StreamSubjects[JetStreamNames.deadLetter]], storage: StorageType.File, retention: RetentionPolicy.Limits },
    limits.deadLetter,
  );
  const js = nc.jetstream();
  const kv = await js.views.kv(JetStreamNames.agentState, { history: 1, max_bytes: limits.agentState.max_bytes, replicas: limits.agentState.num_replicas });
  await applyLimits(jsm, (await kv.status()).streamInfo.config, limits.agentState);
  const os = await js.views.os(JetStreamNames.payloads, { ttl: limits.payloads.max_age, max_bytes: limits.payloads.max_bytes, replicas: limits.payloads.num_replicas });
  await applyLimits(jsm, (await os.status()).streamInfo.config, limits.payloads);
}

/**
 * Sets a message aside in the DEADLETTER stream with the reason, where it came from and its sequence, then
 * terminates it so JetStream stops redelivering it (a record batch keeps its LOG_BATCH_HEADER). Nothing is dropped silently: what cannot be processed is kept,
 * with why, for 30 days.
 */
export async function deadLetter(nc: NatsConnection, subject: string, msg: JsMsg, reason: string): Promise<void> {
  const h = headers();
  h.set(DEAD_LETTER_HEADERS.reason, reason.slice(0, 1000));
  h.set(DEAD_LETTER_HEADERS.stream, msg.info.stream);
  h.set(DEAD_LETTER_HEADERS.sequence, String(msg.seq));
  h.set(DEAD_LETTER_HEADERS.subject, msg.subject);
  h.set(DEAD_LETTER_HEADERS.consumer, msg.info.consumer);
  h.set(DEAD_LETTER_HEADERS.deliveries, String(msg.info.deliveryCount));
  // a record batch stays readable as one: its records are the body's lines
  const batch = msg.headers?.get(LOG_BATCH_HEADER);
  if (batch) h.set(LOG_BATCH_HEADER, batch);
  await nc.jetstream().publish(subject, msg.data, { headers: h });
  msg.term();
}
