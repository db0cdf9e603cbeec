import { RetentionPolicy, StorageType, nanos, type NatsConnection } from 'nats';
import { ensureStreamWithLimits, streamLimits } from './stream-limits';
import { JetStreamNames, StreamSubjects, TrainerStreams, logSubjectsOf, subjectToken, type AgentKind } from '@loglens/contracts';

/**
 * How many messages of a source the LOGS stream holds (a record batch counts once), per agent kind (`logs.generic.<source>`, `logs.wifi.<site>`,
 * and their partitioned subjects `logs.generic.p<k>.<source>`).
 */
export async function logCountsOf(nc: NatsConnection, source: string): Promise<Record<AgentKind, number>> {
  const bySubject = await logSubjectCountsOf(nc, source);
  const sum = (kind: AgentKind) => bySubject.filter((s) => s.kind === kind).reduce((n, s) => n + s.count, 0);
  return { base: sum('base'), wifi: sum('wifi') };
}

/** Each LOGS subject holding records of a source, with its agent kind and count. */
export async function logSubjectCountsOf(nc: NatsConnection, source: string): Promise<Array<{ subject: string; kind: AgentKind; count: number }>> {
  const jsm = await nc.jetstreamManager();
  const count = async (subject: string): Promise<number> => {
    try {
      const info = await jsm.streams.info(JetStreamNames.logs, { subjects_filter: subject });
      return info.state.subjects?.[subject] ?? 0;
    } catch {
      // no LOGS stream yet: nothing was ever published
      return 0;
    }
  };
  const token = subjectToken(source);
  const subjects = (['base', 'wifi'] as const).flatMap((kind) => logSubjectsOf(kind, token).map((subject) => ({ subject, kind })));
  const counts = await Promise.all(subjects.map(({ subject }) => count(subject)));
  return subjects.map((s, i) => ({ ...s, count: counts[i] })).filter((s) => s.count > 0);
}

/** The agent kind whose stream subjects hold a source's logs (null when the stream has none). */
export async function agentKindOfSource(nc: NatsConnection, source: string): Promise<AgentKind | null> {
  const counts = await logCountsOf(nc, source);
  if (counts.base === 0 && counts.wifi === 0) return null;
  return counts.wifi > counts.base ? 'wifi' : 'base';
}

/**
 * The trainers' work queue (JOBS): a work-queue stream, so each job is taken by one trainer and removed once it is
 * acknowledged; an unacknowledged job (its trainer died) is redelivered to another. Idempotent.
 */
export async function ensureJobsStream(nc: NatsConnection, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await ensureStreamWithLimits(
    jsm,
    {
      name: TrainerStreams.jobs,
      subjects: [...StreamSubjects[TrainerStreams.jobs]],
      storage: StorageType.File,
      retention: RetentionPolicy.Workqueue,
      duplicate_window: nanos(10 * 60_000),
    },
    streamLimits(env).jobs,
  );
}
