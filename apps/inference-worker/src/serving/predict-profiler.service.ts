import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DriftSubjects, LogLensError, RegistrySubjects, type GetVersionRequest, type PredictRequest, type PredictRow } from '@loglens/contracts';
import { LiveProfiler, profileProblem, type ReferenceProfile } from '@loglens/drift';
import { EventBus, HealthResponder, RpcClient, SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import type { LoadedVersion } from './loaded-version';
import { WORKER_ENV } from './serving-table.service';
import type { WorkerEnv } from '../app/worker.env';

/**
 * Drift profiling of the direct predict path: what a worker scores for a caller other than an agent (HTTP, SDK, CLI)
 * is folded, row by row, into per-(version, WORKER_DRIFT_BUCKET_MS) buckets with the version's reference bin edges
 * and published on `drift.profiles.v1` like the agents' buckets. Agents profile their own windows and say so with
 * `profiled: true`, so those rows are not counted twice. Versions without a (valid) reference profile are skipped.
 */
@Injectable()
export class PredictProfiler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PredictProfiler.name);
  private readonly profiler: LiveProfiler | null;
  private readonly references = new Map<string, Promise<ReferenceProfile | null>>();
  private readonly resolved = new Map<string, ReferenceProfile | null>();
  private readonly producer: string;
  private timer?: NodeJS.Timeout;
  private readonly counters = { buckets: 0, publishFailures: 0, rows: 0 };

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
    if (!reference) return;
    const names = namesOf(reference);
    const at = Date.now();
    for (let i = 0; i < req.rows.length; i++) {
      const score = scores[i];
      this.profiler.add(ref, reference, {
        at,
        row: numericRow(req.rows[i], names, loaded.info.featureNames),
        featureNames: names,
        score: typeof score === 'number' ? score : null,
        flagged: flags?.[i] === true,
      });
    }
    this.counters.rows += req.rows.length;
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
        this.events.publish(DriftSubjects.profile, { ...b, profile: b.profile as unknown as Record<string, unknown>, producer: this.producer });
        this.counters.buckets++;
      } catch (e) {
        this.counters.publishFailures++;
        this.logger.warn(`drift profile of ${b.modelVersion} could not be published: ${(e as Error).message}`);
      }
    }
  }
}

/** A predict row in the reference's feature order: arrays follow the version's schema order, objects are read by name. */
export function numericRow(row: PredictRow, names: readonly string[], schema: readonly string[] | null): number[] {
  const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN);
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
