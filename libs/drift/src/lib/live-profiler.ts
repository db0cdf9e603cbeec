import { PROFILE_FORMAT, addWindow, emptyProfileLike, type Profile, type ReferenceProfile } from './profile';
import { MAX_SAMPLE_ROWS, type ReferenceSample } from './reference-window';
import { ReferenceTemplateNames } from './template-names';

/** One (version, time bucket) of live windows, ready to publish: the registry merges buckets exactly. */
export interface ProfileBucket {
  modelVersion: string;
  /** epoch ms of the bucket's start (aligned to bucketMs) */
  bucketStart: number;
  bucketMs: number;
  profile: Profile;
  /** per source: template lines folded and those the reference never saw (the unseen-template rate per source) */
  sources: Record<string, { lines: number; unseen: number }>;
  /** a reference-window bucket (a version without a reference): the raw rows; its profile then has no features */
  sample?: ReferenceSample;
}

export interface LiveWindow {
  /** epoch ms the window ends (its bucket) */
  at: number;
  row: readonly number[];
  featureNames: readonly string[];
  score: number | null;
  flagged: boolean;
  /** lines per live template text in the window; renamed to the reference's templates */
  templates?: Iterable<readonly [string, number]>;
}

/** Buckets held at most before the oldest are dropped (a publisher that cannot publish must not grow memory). */
const MAX_BUCKETS = 1000;
/** Sources counted per bucket at most (the rest still count in the bucket's templates). */
const MAX_SOURCES_PER_BUCKET = 200;

/**
 * Folds each scored window into a sketch per (model version, 1-minute bucket) with the version's reference bin edges,
 * so profiling costs O(features · log bins) per window and no allocation per value. `drain(now)` hands the closed
 * buckets over for publishing; versions without a reference profile are not profiled.
 */
export class LiveProfiler {
  private readonly buckets = new Map<string, ProfileBucket>();
  private readonly names = new Map<string, { reference: ReferenceProfile; names: ReferenceTemplateNames }>();
  private last: { modelVersion: string; bucketStart: number; key: string; bucket: ProfileBucket } | null = null;
  dropped = 0;

  constructor(readonly bucketMs = 60_000) {
    if (!(bucketMs > 0)) throw new RangeError('bucketMs must be positive');
  }

  add(modelVersion: string, reference: ReferenceProfile | null, w: LiveWindow): void {
    if (!reference) return;
    const bucket = this.bucketOf(modelVersion, reference, w.at);
    addWindow(bucket.profile, {
      row: w.row,
      featureNames: w.featureNames,
      score: w.score,
      flagged: w.flagged,
      ...(w.templates ? { templates: this.namesOf(modelVersion, reference).rename(w.templates) } : {}),
    });
  }

  /**
   * Folds a source's template lines into the version's bucket (the template mix and the unseen-template rate) without
   * counting a window: lines are counted as records arrive, windows when they are scored.
   */
  addLines(modelVersion: string, reference: ReferenceProfile | null, at: number, source: string, templates: Iterable<readonly [string, number]>): void {
    if (!reference?.templates) return;
    const bucket = this.bucketOf(modelVersion, reference, at);
    const renamed = this.namesOf(modelVersion, reference).rename(templates);
    const known = reference.templates.counts;
    let lines = 0;
    let unseen = 0;
    for (const [name, n] of renamed) {
      lines += n;
      if (!Object.prototype.hasOwnProperty.call(known, name)) unseen += n;
    }
    if (lines === 0) return;
    // a template-only fold: no row, no score
    addWindow(bucket.profile, { row: [], featureNames: [], score: null, flagged: false, templates: renamed });
    bucket.profile.windows--;
    const counted = bucket.sources[source] ?? (Object.keys(bucket.sources).length < MAX_SOURCES_PER_BUCKET ? (bucket.sources[source] = { lines: 0, unseen: 0 }) : null);
    if (counted) {
      counted.lines += lines;
      counted.unseen += unseen;
    }
  }

  /**
   * Collects one scored row of a version that has no reference profile (its reference window): the raw values, in a
   * bucket of its own (`sample`), at most MAX_SAMPLE_ROWS per bucket. `row` follows `featureNames`; NaN is sent as null.
   */
  collect(modelVersion: string, at: number, featureNames: readonly string[], row: readonly number[], score: number | null, flagged: boolean): void {
    const bucketStart = Math.floor(at / this.bucketMs) * this.bucketMs;
    const key = `${modelVersion}|${bucketStart}|sample`;
    let bucket = this.buckets.get(key);
    if (!bucket || !bucket.sample || !sameNames(bucket.sample.featureNames, featureNames)) {
      if (bucket) return; // another schema within one bucket: its first one is kept
      if (this.buckets.size >= MAX_BUCKETS) this.dropOldest();
      const profile: Profile = { format: PROFILE_FORMAT, features: {}, score: null, templates: null, windows: 0, flagged: 0 };
      bucket = { modelVersion, bucketStart, bucketMs: this.bucketMs, profile, sources: {}, sample: { featureNames: [...featureNames], rows: [], scores: [] } };
      this.buckets.set(key, bucket);
    }
    const sample = bucket.sample as ReferenceSample;
    if (sample.rows.length >= MAX_SAMPLE_ROWS) return;
    const values = new Array<number | null>(row.length);
    for (let j = 0; j < row.length; j++) values[j] = Number.isFinite(row[j]) ? row[j] : null;
    sample.rows.push(values);
    sample.scores.push(score !== null && Number.isFinite(score) ? score : null);
    bucket.profile.windows++;
    if (flagged) bucket.profile.flagged++;
  }

  private dropOldest(): void {
    const oldest = this.buckets.keys().next().value as string;
    this.buckets.delete(oldest);
    this.dropped++;
  }

  private namesOf(modelVersion: string, reference: ReferenceProfile): ReferenceTemplateNames {
    let named = this.names.get(modelVersion);
    if (!named || named.reference !== reference) {
      named = { reference, names: new ReferenceTemplateNames(reference.templates) };
      this.names.set(modelVersion, named);
    }
    return named.names;
  }

  /**
   * The live profile of (version, the bucket of `at`) for a caller that folds rows itself (the worker's predict path:
   * `addNumeric` per value into its sketches, then `windows` / `flagged`), so a request costs one look-up, not one per
   * row. The same bucket as `add` folds into; valid until the next `drain`.
   */
  profileOf(modelVersion: string, reference: ReferenceProfile, at: number): Profile {
    return this.bucketOf(modelVersion, reference, at).profile;
  }

  private bucketOf(modelVersion: string, reference: ReferenceProfile, at: number): ProfileBucket {
    const bucketStart = Math.floor(at / this.bucketMs) * this.bucketMs;
    // consecutive calls mostly hit the bucket of the last one: no key string to build
    const last = this.last;
    if (last && last.bucketStart === bucketStart && last.modelVersion === modelVersion && this.buckets.get(last.key) === last.bucket) return last.bucket;
    const key = `${modelVersion}|${bucketStart}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.dropOldest();
      bucket = { modelVersion, bucketStart, bucketMs: this.bucketMs, profile: emptyProfileLike(reference), sources: {} };
      this.buckets.set(key, bucket);
    }
    this.last = { modelVersion, bucketStart, key, bucket };
    return bucket;
  }

  /**
   * The buckets closed by `now` (their end ≤ now; every bucket when `now` is omitted), oldest first, removed from the
   * profiler: each (version, bucket) leaves an instance once.
   */
  drain(now?: number): ProfileBucket[] {
    const out: ProfileBucket[] = [];
    for (const [key, b] of this.buckets) {
      if (now !== undefined && b.bucketStart + b.bucketMs > now) continue;
      out.push(b);
      this.buckets.delete(key);
    }
    return out.sort((a, b) => a.bucketStart - b.bucketStart || a.modelVersion.localeCompare(b.modelVersion));
  }

  get size(): number {
    return this.buckets.size;
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, j) => n === b[j]);
}
