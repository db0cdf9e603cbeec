import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DriftSubjects, LogLensError, RegistrySubjects, type GetVersionRequest, type PredictRequest, type PredictRow } from '@loglens/contracts';
import { LiveProfiler, addNumeric, profileProblem, type NumericSketch, type Profile, type ReferenceProfile } from '@loglens/drift';
import { EventBus, HealthResponder, RpcClient, SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import type { LoadedVersion } from './loaded-version';
import { WORKER_ENV, type WorkerEnv } from '../app/worker.env';

/**
 * Drift profiling of the direct predict path: what a worker scores for a caller other than an agent (HTTP, SDK, CLI)
 * is folded, row by row, into per-(version, WORKER_DRIFT_BUCKET_MS) buckets with the version's reference bin edges
 * and published on `drift.profiles.v1` like the agents' buckets. Agents profile their own windows and say so with
 * `profiled: true`, so those rows are not counted twice. Versions without a (valid) reference profile
 * (uploaded models) have their rows collected raw instead (`sample` buckets): the registry freezes the first
 * DRIFT_REFERENCE_WINDOWS of them into the version's reference (docs/monitoring.md, "reference window").
 */
@Injectable()
export class PredictProfiler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PredictProfiler.name);
  private readonly profiler: LiveProfiler | null;
  private readonly references = new Map<string, Promise<ReferenceProfile | null>>();
  private readonly resolved = new Map<string, ReferenceProfile | null>();
  private readonly producer: string;
  private timer?: NodeJS.Timeout;
  private readonly counters = { buckets: 0, publishFailures: 0, rows: 0, collected: 0 };
  /** when a version was last found without a reference (its reference window is being collected) */
  private readonly noReferenceSince = new Map<string, number>();

  constructor(
    @Inject(WORKER_ENV) env: WorkerEnv,
    private readonly rpc: RpcClient,
    private readonly events: EventBus,
    private readonly health: HealthResponder,
    @Inject(SERVICE_IDENTITY) identity: ServiceIdentity,
  ) {
    this.profiler = env.WORKER_DRIFT_BUCKET_MS > 0 ? new LiveProfiler(env.WORKER_DRIFT_BUCKET_MS) : null;
    this.producer = `${identity.service}:${identity.instanceId}`;
  }

  onModuleInit(): void {
    if (!this.profiler) return;
    const profiler = this.profiler;
    this.health.addDetails('drift', () => ({ ...this.counters, open: profiler.size, dropped: profiler.dropped }));
    // closed buckets leave at most a second after they close
    this.timer = setInterval(() => this.flush(Date.now()), 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }

  /** Folds the rows of one answered predict (a no-op for agents' requests and versions without a reference). */
  record(loaded: LoadedVersion, req: PredictRequest, scores: readonly unknown[], flags: readonly boolean[] | null): void {
    if (!this.profiler || req.profiled === true) return;
    const ref = loaded.info.ref;
    const reference = this.resolved.get(ref);
    if (reference === undefined) {
      // the first request of a version asks the registry once; rows answered meanwhile are not profiled
      void this.referenceOf(ref);
      return;
    }
    const at = Date.now();
    if (!reference) {
      this.collect(loaded, req, scores, flags, at);
      return;
    }
    // one bucket look-up per request; each value straight into its column's sketch (no row copy, no object per row)
    const profile = this.profiler.profileOf(ref, reference, at);
    const fold = foldOf(profile, reference, loaded.info.featureNames);
    const { sketches, columns, names } = fold;
    const score = profile.score;
    for (let i = 0; i < req.rows.length; i++) {
      const row = req.rows[i];
      if (Array.isArray(row)) {
        for (let j = 0; j < sketches.length; j++) {
          const c = columns[j];
          addNumeric(sketches[j], c < 0 ? NaN : num(row[c]));
        }
      } else {
        for (let j = 0; j < sketches.length; j++) addNumeric(sketches[j], num((row as Record<string, unknown>)[names[j]]));
      }
      const s = scores[i];
      if (score && typeof s === 'number') addNumeric(score, s);
      profile.windows++;
      if (flags?.[i] === true) profile.flagged++;
    }
    this.counters.rows += req.rows.length;
  }

  /**
   * A version without a reference profile (an uploaded model): its rows are collected raw (its reference window) until
   * the registry freezes them into one; the worker asks for the reference again every REFERENCE_RECHECK_MS meanwhile.
   */
  private collect(loaded: LoadedVersion, req: PredictRequest, scores: readonly unknown[], flags: readonly boolean[] | null, at: number): void {
    const profiler = this.profiler as LiveProfiler;
    const ref = loaded.info.ref;
    const checked = this.noReferenceSince.get(ref) ?? at;
    if (at - checked >= REFERENCE_RECHECK_MS) {
      this.noReferenceSince.delete(ref);
      this.forget(ref);
      void this.referenceOf(ref);
    }
    if (req.rows.length === 0) return;
    const names = loaded.info.featureNames ?? sampleNamesOf(req.rows[0]);
    for (let i = 0; i < req.rows.length; i++) {
      const score = scores[i];
      profiler.collect(ref, at, names, numericRow(req.rows[i], names, loaded.info.featureNames), typeof score === 'number' ? score : null, flags?.[i] === true);
    }
    this.counters.collected += req.rows.length;
  }

  /** The version's `metadata.referenceProfile` (cached; a failed look-up other than NOT_FOUND is asked again later). */
  private referenceOf(ref: string): Promise<ReferenceProfile | null> {
    let cached = this.references.get(ref);
    if (!cached) {
      cached = this.rpc.call(RegistrySubjects.getVersion, { ref } satisfies GetVersionRequest, { timeoutMs: 5000, retries: 1 }).then(
        (v) => {
          const p = v.metadata?.['referenceProfile'];
          if (p === undefined || p === null) return this.settle(ref, null);
          const why = profileProblem(p);
          if (why) this.logger.warn(`${ref}: its reference profile is not used for drift (${why})`);
          return this.settle(ref, why ? null : (p as ReferenceProfile));
        },
        (e: unknown) => {
          if (e instanceof LogLensError && e.code === 'NOT_FOUND') return this.settle(ref, null);
          this.references.delete(ref);
          return null;
        },
      );
      this.references.set(ref, cached);
    }
    return cached;
  }

  private settle(ref: string, reference: ReferenceProfile | null): ReferenceProfile | null {
    this.resolved.set(ref, reference);
    if (!reference) this.noReferenceSince.set(ref, Date.now());
    return reference;
  }

  /** Forgets a version's reference (a new reference is read on its next request). */
  forget(ref: string): void {
    this.references.delete(ref);
    this.resolved.delete(ref);
  }

  /** Publishes the buckets closed by `now` (all of them when omitted). */
  flush(now?: number): void {
    if (!this.profiler) return;
    for (const b of this.profiler.drain(now)) {
      try {
        // reference-window samples are rows of their own per producer, apart from profiled buckets of the same second
        const producer = b.sample ? `${this.producer}#sample` : this.producer;
        this.events.publish(DriftSubjects.profile, { ...b, profile: b.profile as unknown as Record<string, unknown>, producer });
        this.counters.buckets++;
      } catch (e) {
        this.counters.publishFailures++;
        this.logger.warn(`drift profile of ${b.modelVersion} could not be published: ${(e as Error).message}`);
      }
    }
  }
}

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN);

interface Fold {
  /** the reference's feature names, and the live sketch of each */
  names: string[];
  sketches: NumericSketch[];
  /** for array rows: where each feature sits in the row (its schema position; -1 when the schema lacks it) */
  columns: number[];
  schema: readonly string[] | null;
}

const folds = new WeakMap<Profile, Fold>();

/** How rows fold into a live profile, worked out once per (bucket profile, schema). */
function foldOf(profile: Profile, reference: ReferenceProfile, schema: readonly string[] | null): Fold {
  let fold = folds.get(profile);
  if (!fold || fold.schema !== schema) {
    const names = namesOf(reference);
    const at = schema && !sameOrder(schema, names) ? new Map(schema.map((n, j) => [n, j])) : null;
    fold = {
      names,
      sketches: names.map((n) => profile.features[n]),
      columns: names.map((n, j) => (at ? (at.get(n) ?? -1) : j)),
      schema,
    };
    folds.set(profile, fold);
  }
  return fold;
}

/** A predict row in the reference's feature order: arrays follow the version's schema order, objects are read by name. */
export function numericRow(row: PredictRow, names: readonly string[], schema: readonly string[] | null): number[] {
  if (Array.isArray(row)) {
    if (!schema || sameOrder(schema, names)) return names.map((_, j) => num(row[j]));
    const at = new Map(schema.map((n, j) => [n, j]));
    return names.map((n) => {
      const j = at.get(n);
      return j === undefined ? NaN : num(row[j]);
    });
  }
  return names.map((n) => num(row[n]));
}

/** How often a version without a reference asks the registry again (to pick up its frozen reference window). */
export const REFERENCE_RECHECK_MS = 5000;

/** Feature names of a version without a schema: an object row's keys, or f0…fn-1 for an array row. */
function sampleNamesOf(row: PredictRow): string[] {
  return Array.isArray(row) ? row.map((_, j) => `f${j}`) : Object.keys(row).sort();
}

const featureNames = new WeakMap<ReferenceProfile, string[]>();

/** The reference's feature names, once per reference object. */
function namesOf(reference: ReferenceProfile): string[] {
  let names = featureNames.get(reference);
  if (!names) featureNames.set(reference, (names = Object.keys(reference.features)));
  return names;
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, j) => n === b[j]);
}
