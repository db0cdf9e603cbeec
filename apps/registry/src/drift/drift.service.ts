import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, In, IsNull, LessThan, Not, type DataSource, type EntityManager } from 'typeorm';
import {
  DRIFT_RETENTION_MS,
  DriftProfileBucket,
  DriftSubjects,
  LogLensError,
  QueueGroups,
  type DriftChangedEvent,
  type DriftReportReply,
  type DriftReportRequest,
  type DriftStatusEvent,
} from '@loglens/contracts';
import { EventBus } from '@loglens/nest-common';
import {
  DEFAULT_DRIFT_CONFIG,
  DriftConfigError,
  compareProfiles,
  driftConfigFrom,
  driftedSignals,
  mergeBuckets,
  mergeProfiles,
  profileProblem,
  referenceFromSamples,
  sampleProblem,
  type DriftConfig,
  type DriftReport,
  type Profile,
  type ReferenceProfile,
  type ReferenceSample,
} from '@loglens/drift';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelEntity } from '../models/model.entity';
import { resolveVersionRef } from '../models/version-resolver';
import { HistoryService } from '../history/history.service';
import { DriftBucketEntity, DriftStateEntity } from './drift-bucket.entity';

export const DRIFT_OPTIONS = Symbol('DRIFT_OPTIONS');

export interface DriftOptions {
  /** DRIFT_CHECK_MS: how often the crossings are checked (default a minute) */
  checkMs: number;
  /** DRIFT_CHECK_WINDOW_MS: the range each check compares (default the last hour) */
  checkWindowMs: number;
  /**
   * DRIFT_MIN_WINDOWS: a check over fewer live windows decides no crossing (default 30): on a handful of windows the
   * tests' asymptotics do not hold (chi-square on a few lines, KS on a few rows) and one odd minute would flap
   */
  minWindows: number;
  /**
   * DRIFT_REFERENCE_WINDOWS: a version without a reference profile (an uploaded model) freezes its first this many
   * live windows into one (default 500)
   */
  referenceWindows: number;
}

interface VersionContext {
  model: ModelEntity;
  version: ModelVersionEntity;
  ref: string;
}

/**
 * Live drift: stores the agents' profile buckets (one row per version, bucket and producer; a bucket sent twice adds
 * up), answers reports (the buckets of a range merged and compared with the version's reference profile, with its
 * `metadata.drift` settings), and checks every version with live data each `checkMs`: a crossing (drifted ↔ not) is
 * announced once as `drift.detected` / `drift.cleared` (the state row is locked while it changes), and every check
 * broadcasts the per-feature values for the gateways' gauges. Buckets older than DRIFT_RETENTION_MS are deleted.
 */
@Injectable()
export class DriftService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DriftService.name);
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly bus: EventBus,
    @Inject(DRIFT_OPTIONS) private readonly options: DriftOptions,
    private readonly history: HistoryService,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe(DriftSubjects.profile, DriftProfileBucket, (b) => this.store(b), { queue: QueueGroups.registry });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.options.checkMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Stores one bucket; the same (version, bucket, producer) again is merged into the stored one. */
  async store(b: DriftProfileBucket): Promise<void> {
    const why = profileProblem(b.profile);
    if (why) {
      this.logger.warn(`dropped a drift bucket of ${b.modelVersion} from ${b.producer}: ${why}`);
      return;
    }
    if (b.bucketStart % b.bucketMs !== 0) {
      this.logger.warn(`dropped a drift bucket of ${b.modelVersion} from ${b.producer}: bucketStart is not a multiple of bucketMs`);
      return;
    }
    const sample = b.sample ?? null;
    const sampleWhy = sample ? sampleProblem(sample) : null;
    if (sampleWhy) {
      this.logger.warn(`dropped a drift bucket of ${b.modelVersion} from ${b.producer}: ${sampleWhy}`);
      return;
    }
    const profile = b.profile as unknown as Profile;
    const sources = sourcesOf(b.sources);
    let collecting: string | null = null;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ds.transaction(async (m) => {
          const ctx = await this.resolve(m, b.modelVersion).catch(() => null);
          if (!ctx) {
            this.logger.warn(`dropped a drift bucket of ${b.modelVersion}: no such version`);
            return;
          }
          // a reference-window sample counts only while the version has no reference (a producer learns it late)
          if (sample && !collectsReference(ctx.version)) return;
          const repo = m.getRepository(DriftBucketEntity);
          const key = { versionId: ctx.version.id, bucketStart: new Date(b.bucketStart), producer: b.producer };
          const stored = await repo.findOne({ where: key, lock: { mode: 'pessimistic_write' } });
          if (sample) collecting = ctx.version.id;
          if (!stored) {
            await repo.insert({ ...key, bucketMs: b.bucketMs, windows: profile.windows, profile, sources, sample });
            return;
          }
          if (sample) {
            // the same sample bucket sent twice: its rows are appended (the reference takes the first N anyway)
            const rows = [...(stored.sample?.rows ?? []), ...sample.rows];
            const scores = [...(stored.sample?.scores ?? []), ...sample.scores];
            const merged = stored.sample && stored.sample.featureNames.join('\u0000') === sample.featureNames.join('\u0000') ? { featureNames: sample.featureNames, rows, scores } : (stored.sample ?? sample);
            await repo.update(key, { windows: stored.windows + profile.windows, sample: merged });
            return;
          }
          const merged = mergeProfiles(stored.profile, profile);
          for (const [s, c] of Object.entries(sources)) {
            const t = (stored.sources[s] ??= { lines: 0, unseen: 0 });
            t.lines += c.lines;
            t.unseen += c.unseen;
          }
          await repo.update(key, { windows: merged.windows, profile: merged, sources: stored.sources });
        });
        if (collecting) await this.freezeReference(collecting);
        return;
      } catch (e) {
        // two first copies of one bucket raced to insert: the loser merges into the winner's row
        if (attempt === 0 && (e as { code?: string }).code === '23505') continue;
        this.logger.warn(`could not store a drift bucket of ${b.modelVersion}: ${(e as Error).message}`);
        return;
      }
    }
  }

  async report(req: DriftReportRequest): Promise<DriftReportReply> {
    const from = Date.parse(req.from);
    const to = Date.parse(req.to);
    if (!(from < to)) throw new LogLensError('VALIDATION_FAILED', 'from must be before to');
    const ctx = await this.resolve(this.ds.manager, req.ref);
    return this.reportOf(ctx, from, to);
  }

  private async reportOf(ctx: VersionContext, from: number, to: number): Promise<DriftReportReply & { full?: DriftReport }> {
    const base = { model: ctx.model.name, version: ctx.ref, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const reference = referenceOf(ctx.version);
    if (!reference) {
      const of = this.options.referenceWindows;
      if (collectsReference(ctx.version)) {
        const collected = await this.collected(this.ds.manager, ctx.version.id);
        return {
          ...base,
          state: 'collecting-reference',
          reason: `${ctx.ref} has no reference profile (an uploaded model): its first ${of} live windows become its reference (${collected} collected so far; docs/monitoring.md, "reference window")`,
          referenceWindow: { collected: Math.min(collected, of), of },
          buckets: 0,
          sources: [],
          report: null,
        };
      }
      return {
        ...base,
        state: 'no-reference',
        reason: `${ctx.ref} has an unusable reference profile (metadata.referenceProfile: ${profileProblem(ctx.version.metadata?.['referenceProfile'])})`,
        buckets: 0,
        sources: [],
        report: null,
      };
    }
    let config: DriftConfig = DEFAULT_DRIFT_CONFIG;
    let reason: string | undefined;
    try {
      config = driftConfigFrom(ctx.version.metadata);
    } catch (e) {
      if (!(e instanceof DriftConfigError)) throw e;
      reason = `the defaults are used: ${e.message}`;
    }
    // bucketStart in [from, to): see bucketInRange
    const rows = await this.ds.getRepository(DriftBucketEntity).find({
      // reference-window samples are the reference's rows, not live profiles
      where: { versionId: ctx.version.id, bucketStart: Between(new Date(from), new Date(to - 1)), sample: IsNull() },
      order: { bucketStart: 'ASC' },
    });
    const { profile, merged } = mergeBuckets(reference, rows);
    const sources = new Map<string, { lines: number; unseen: number }>();
    for (const r of rows) {
      for (const [s, c] of Object.entries(r.sources ?? {})) {
        const t = sources.get(s) ?? { lines: 0, unseen: 0 };
        t.lines += c.lines;
        t.unseen += c.unseen;
        sources.set(s, t);
      }
    }
    const perSource = [...sources]
      .filter(([, c]) => c.lines > 0)
      .map(([source, c]) => ({ source, lines: c.lines, unseenRate: c.unseen / c.lines }))
      .sort((a, b) => a.source.localeCompare(b.source));
    if (profile.windows === 0 && !profile.templates?.n) {
      return { ...base, state: 'no-data', reason: reason ?? 'no live windows of this version in the range', buckets: merged, sources: perSource, report: null };
    }
    const report = compareProfiles(reference, profile, config);
    return { ...base, state: 'ok', ...(reason ? { reason } : {}), buckets: merged, sources: perSource, report };
  }

  /** Live windows sampled so far for a version's reference window. */
  private async collected(m: EntityManager, versionId: string): Promise<number> {
    const row = await m
      .getRepository(DriftBucketEntity)
      .createQueryBuilder('b')
      .select(`COALESCE(SUM(jsonb_array_length(b.sample->'rows')), 0)`, 'n')
      .where('b.version_id = :versionId AND b.sample IS NOT NULL', { versionId })
      .getRawOne<{ n: string }>();
    return Number(row?.n ?? 0);
  }

  /**
   * Freezes a version's reference window once DRIFT_REFERENCE_WINDOWS live windows are sampled: the first N rows (in
   * bucket order, then arrival) are profiled as training rows are (`referenceFromSamples`), written to
   * `metadata.referenceProfile` (`origin: "reference-window"`) with `metadata.referenceWindow`, and recorded in the
   * history. Under the model's row lock, so of several registries exactly one freezes it.
   */
  async freezeReference(versionId: string): Promise<boolean> {
    const of = this.options.referenceWindows;
    if ((await this.collected(this.ds.manager, versionId)) < of) return false;
    return this.ds.transaction(async (m) => {
      const first = await m.getRepository(ModelVersionEntity).findOneBy({ id: versionId });
      if (!first) return false;
      const model = await m.getRepository(ModelEntity).findOneOrFail({ where: { id: first.modelId }, lock: { mode: 'pessimistic_write' } });
      const version = await m.getRepository(ModelVersionEntity).findOneOrFail({ where: { id: versionId }, lock: { mode: 'pessimistic_write' } });
      if (!collectsReference(version)) return false;
      const rows = await m.getRepository(DriftBucketEntity).find({
        where: { versionId, sample: Not(IsNull()) },
        order: { bucketStart: 'ASC', receivedAt: 'ASC', producer: 'ASC' },
      });
      const frozen = referenceFromSamples(rows.map((r) => r.sample as ReferenceSample), of, version.threshold);
      if (!frozen) return false;
      const at = new Date();
      const referenceWindow = {
        windows: frozen.rows,
        firstBucket: rows[0].bucketStart.toISOString(),
        lastBucket: rows[rows.length - 1].bucketStart.toISOString(),
        frozenAt: at.toISOString(),
      };
      await m.getRepository(ModelVersionEntity).update({ id: versionId }, { metadata: { ...version.metadata, referenceProfile: frozen.reference, referenceWindow } });
      const ref = `${model.name}@${version.version}`;
      await this.history.record(m, model, {
        kind: 'drift',
        action: 'drift-reference',
        fromVersionId: null,
        toVersionId: versionId,
        actor: 'registry',
        reason: `${ref}: reference profile frozen from its first ${frozen.rows} live windows (${referenceWindow.firstBucket} … ${referenceWindow.lastBucket}), ${Object.keys(frozen.reference.features).length} features`,
      });
      this.logger.log(`${ref}: reference window frozen (${frozen.rows} windows)`);
      return true;
    });
  }

  private async resolve(m: EntityManager, ref: string): Promise<VersionContext> {
    const { model, version } = await resolveVersionRef(m, ref);
    return { model, version, ref: `${model.name}@${version.version}` };
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.check(Date.now());
    } catch (e) {
      this.logger.warn(`drift check failed: ${(e as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  /**
   * One check at `now`: every version with buckets in the check window (or still marked drifted) is compared over
   * it; crossings become events; the values go to the gateways. Returns the events it emitted.
   */
  async check(now: number): Promise<DriftChangedEvent[]> {
    const from = now - this.options.checkWindowMs;
    await this.ds.getRepository(DriftBucketEntity).delete({ bucketStart: LessThan(new Date(now - DRIFT_RETENTION_MS)) });
    const live = await this.ds
      .getRepository(DriftBucketEntity)
      .createQueryBuilder('b')
      .select('DISTINCT b.version_id', 'id')
      .where('b.bucket_start >= :from', { from: new Date(from) })
      .getRawMany<{ id: string }>();
    const drifted = await this.ds.getRepository(DriftStateEntity).find({ where: { drifted: true } });
    const ids = [...new Set([...live.map((r) => r.id), ...drifted.map((d) => d.versionId)])];
    if (ids.length === 0) return [];
    const versions = await this.ds.getRepository(ModelVersionEntity).find({ where: { id: In(ids) } });
    const models = new Map((await this.ds.getRepository(ModelEntity).find({ where: { id: In([...new Set(versions.map((v) => v.modelId))]) } })).map((m) => [m.id, m]));
    const status: DriftStatusEvent = { at: new Date(now).toISOString(), versions: [], sources: [] };
    const events: DriftChangedEvent[] = [];
    for (const version of versions) {
      const model = models.get(version.modelId);
      if (!model) continue;
      const reply = await this.reportOf({ model, version, ref: `${model.name}@${version.version}` }, from, now);
      const report = reply.report;
      if (report) {
        status.versions.push({
          model: model.name,
          version: reply.version,
          features: [...report.features, ...(report.score ? [report.score] : [])].map((f) => ({ feature: f.feature, statistic: f.statistic, value: f.value, drifted: f.drifted })),
        });
      }
      for (const s of reply.sources) status.sources.push({ source: s.source, unseenRate: s.unseenRate });
      // too little to decide on: the state stays as it is (a version with no data at all is no longer drifted)
      if (report && report.currentWindows < this.options.minWindows) continue;
      const signals = report ? driftedSignals(report) : [];
      const changed = await this.settle(version.id, signals, now);
      if (changed === null) continue;
      const event: DriftChangedEvent = {
        model: model.name,
        version: reply.version,
        from: reply.from,
        to: reply.to,
        datasetDrifted: report?.dataset.drifted ?? false,
        drifted: signals,
        at: new Date(now).toISOString(),
      };
      this.bus.publish(changed ? DriftSubjects.detected : DriftSubjects.cleared, event);
      this.logger.log(`${reply.version}: drift ${changed ? `detected (${signals.join(', ')})` : 'cleared'}`);
      events.push(event);
    }
    this.bus.publish(DriftSubjects.status, status);
    return events;
  }

  /**
   * Records the check's outcome; returns true (now drifted), false (no longer drifted) or null (no crossing). The
   * state row is locked, so of several registries checking at once only one sees the crossing.
   */
  private async settle(versionId: string, signals: string[], now: number): Promise<boolean | null> {
    const drifted = signals.length > 0;
    const at = new Date(now);
    try {
      return await this.ds.transaction(async (m) => {
        const repo = m.getRepository(DriftStateEntity);
        const state = await repo.findOne({ where: { versionId }, lock: { mode: 'pessimistic_write' } });
        if (!state) {
          await repo.insert({ versionId, drifted, signals, checkedAt: at, changedAt: at });
          return drifted ? true : null;
        }
        // a check older than the one stored (another registry was faster) changes nothing
        if (state.checkedAt.getTime() > now) return null;
        const flipped = state.drifted !== drifted;
        await repo.update({ versionId }, { drifted, signals, checkedAt: at, ...(flipped ? { changedAt: at } : {}) });
        return flipped ? drifted : null;
      });
    } catch (e) {
      // another registry inserted the first state of this version at the same moment: it announced the crossing
      if ((e as { code?: string }).code === '23505') return null;
      throw e;
    }
  }
}

/** A version's reference profile, or null when it has none (or an unusable one). */
export function referenceOf(v: Pick<ModelVersionEntity, 'metadata'>): ReferenceProfile | null {
  const p = v.metadata?.['referenceProfile'];
  if (p === undefined || p === null || profileProblem(p)) return null;
  return p as ReferenceProfile;
}

/** Whether a version collects a reference window: it has no reference profile at all (not an unusable one). */
export function collectsReference(v: Pick<ModelVersionEntity, 'metadata'>): boolean {
  const p = v.metadata?.['referenceProfile'];
  return p === undefined || p === null;
}

/** The bucket's per-source counts, each checked (a malformed entry is dropped). */
function sourcesOf(raw: DriftProfileBucket['sources']): Record<string, { lines: number; unseen: number }> {
  const out: Record<string, { lines: number; unseen: number }> = {};
  for (const [s, c] of Object.entries(raw ?? {})) {
    const lines = Number((c as { lines?: unknown })?.lines);
    const unseen = Number((c as { unseen?: unknown })?.unseen);
    if (Number.isInteger(lines) && Number.isInteger(unseen) && lines >= 0 && unseen >= 0 && unseen <= lines && s.length <= 200) out[s] = { lines, unseen };
  }
  return out;
}
