import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DiscardPolicy, nanos, type JetStreamManager, type StreamConfig } from 'nats';
import { validateEnv } from './env';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_BYTES = 1024 * GiB;
const MAX_AGE_MS = 3650 * DAY_MS;

/**
 * Size and age limits of every JetStream stream and bucket LogLens creates, from the environment (bytes and ms).
 * Every service that creates them (gateway, ingest, registry, agents, trainer) applies them at start — to a stream it
 * creates and to one an older version created without them — so give every service the same values.
 */
export class StreamLimitsEnv {
  @IsInt() @Min(MiB) @Max(MAX_BYTES) @Type(() => Number)
  LOGS_STREAM_MAX_BYTES: number = 8 * GiB;

  @IsInt() @Min(60_000) @Max(MAX_AGE_MS) @Type(() => Number)
  LOGS_STREAM_MAX_AGE_MS: number = 7 * DAY_MS;

  @IsInt() @Min(MiB) @Max(MAX_BYTES) @Type(() => Number)
  ANALYSIS_STREAM_MAX_BYTES: number = 2 * GiB;

  @IsInt() @Min(60_000) @Max(MAX_AGE_MS) @Type(() => Number)
  ANALYSIS_STREAM_MAX_AGE_MS: number = 30 * DAY_MS;

  @IsInt() @Min(MiB) @Max(MAX_BYTES) @Type(() => Number)
  DEADLETTER_STREAM_MAX_BYTES: number = 256 * MiB;

  @IsInt() @Min(60_000) @Max(MAX_AGE_MS) @Type(() => Number)
  DEADLETTER_STREAM_MAX_AGE_MS: number = 30 * DAY_MS;

  @IsInt() @Min(MiB) @Max(MAX_BYTES) @Type(() => Number)
  JOBS_STREAM_MAX_BYTES: number = 64 * MiB;

  @IsInt() @Min(60_000) @Max(MAX_AGE_MS) @Type(() => Number)
  JOBS_STREAM_MAX_AGE_MS: number = 7 * DAY_MS;

  /** the object store of large request bodies (analyze, train uploads) */
  @IsInt() @Min(MiB) @Max(MAX_BYTES) @Type(() => Number)
  PAYLOADS_MAX_BYTES: number = 1 * GiB;

  @IsInt() @Min(60_000) @Max(MAX_AGE_MS) @Type(() => Number)
  PAYLOADS_MAX_AGE_MS: number = 60 * 60_000;

  /** the agents' template state (KV, one entry per source) */
  @IsInt() @Min(MiB) @Max(MAX_BYTES) @Type(() => Number)
  AGENT_STATE_MAX_BYTES: number = 256 * MiB;

  /**
   * Copies of every stream and bucket on a JetStream cluster: 3 keeps them writable, and every record kept, with one
   * NATS node down (RAFT needs a majority). 1 on a single server (which refuses more).
   */
  @IsInt() @Min(1) @Max(5) @Type(() => Number)
  LOGLENS_STREAM_REPLICAS = 1;
}

export type StreamLimits = Pick<StreamConfig, 'max_bytes' | 'max_age' | 'discard' | 'num_replicas'>;

/**
 * The limits per stream, and why each discard policy:
 * - LOGS `new`: when full, a publish is refused (the ingest answers 429/503 with Retry-After and the producer keeps
 *   the records) instead of the oldest records — maybe not analysed yet, and what training reads back — vanishing.
 *   Records older than max_age still expire: that is the retention, not an overflow.
 * - ANALYSIS `old`: results are derived (and copied to Postgres by the registry); refusing them would stop the agents
 *   from acknowledging records and stall the whole path.
 * - DEADLETTER `old`: the newest failures are the ones worth reading.
 * - JOBS `new`: a work queue; refusing a new job (the caller gets an error) beats dropping a queued one.
 * - payloads and agent state `new`: dropping old chunks would corrupt objects and state entries; a full bucket refuses
 *   the new put, which fails that one request.
 */
export function streamLimits(env: NodeJS.ProcessEnv = process.env): Record<'logs' | 'analysis' | 'deadLetter' | 'jobs' | 'payloads' | 'agentState', StreamLimits> {
  const e = validateEnv(StreamLimitsEnv, env);
  const l = (bytes: number, ageMs: number, discard: DiscardPolicy): StreamLimits => ({ max_bytes: bytes, max_age: ageMs > 0 ? nanos(ageMs) : 0, discard, num_replicas: e.LOGLENS_STREAM_REPLICAS });
  return {
    logs: l(e.LOGS_STREAM_MAX_BYTES, e.LOGS_STREAM_MAX_AGE_MS, DiscardPolicy.New),
    analysis: l(e.ANALYSIS_STREAM_MAX_BYTES, e.ANALYSIS_STREAM_MAX_AGE_MS, DiscardPolicy.Old),
    deadLetter: l(e.DEADLETTER_STREAM_MAX_BYTES, e.DEADLETTER_STREAM_MAX_AGE_MS, DiscardPolicy.Old),
    jobs: l(e.JOBS_STREAM_MAX_BYTES, e.JOBS_STREAM_MAX_AGE_MS, DiscardPolicy.New),
    payloads: l(e.PAYLOADS_MAX_BYTES, e.PAYLOADS_MAX_AGE_MS, DiscardPolicy.New),
    // KV: age 0 = entries never expire (a source's templates are kept until it is forgotten)
    agentState: l(e.AGENT_STATE_MAX_BYTES, 0, DiscardPolicy.New),
  };
}

/**
 * Creates a stream with its limits, or brings an existing one (made by an older version, or with other limits) to
 * them. Idempotent and safe from every instance at once: an update to the same values changes nothing.
 */
export async function ensureStreamWithLimits(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }, limits: StreamLimits): Promise<void> {
  const wanted = { ...config, ...limits };
  let existing: StreamConfig | null = null;
  try {
    existing = (await jsm.streams.info(config.name)).config;
  } catch {
    try {
      await jsm.streams.add(wanted);
      return;
    } catch (e) {
      // another instance created it between our two calls
      if (!/already in use/i.test((e as Error).message)) throw e;
      existing = (await jsm.streams.info(config.name)).config;
    }
  }
  await applyLimits(jsm, existing, limits);
}

/** Updates a stream's limits when they differ (used for the streams under KV buckets and object stores too). */
export async function applyLimits(jsm: JetStreamManager, existing: StreamConfig, limits: StreamLimits): Promise<boolean> {
  if (existing.max_bytes === limits.max_bytes && existing.max_age === limits.max_age && existing.discard === limits.discard && existing.num_replicas === limits.num_replicas) return false;
  await jsm.streams.update(existing.name, { ...existing, ...limits });
  return true;
}
