// Report windows: which live buckets a report merges, and merging them against the version's reference.
import type { DriftReport } from './report';
import { type Profile, type ReferenceProfile, emptyProfileLike, mergeProfiles } from './profile';
import { sameEdges } from './sketch';

/** The named windows and their length. */
export const NAMED_WINDOWS: Readonly<Record<string, number>> = Object.freeze({ '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 });

/** The longest custom range a report merges (the retention: older buckets are gone anyway). */
export const MAX_RANGE_MS = 8 * 86_400_000;

/** A refused window or range; `parameter` names the query parameter at fault. */
export class DriftRangeError extends Error {
  override readonly name = 'DriftRangeError';
  constructor(
    readonly parameter: 'window' | 'from' | 'to',
    message: string,
  ) {
    super(message);
  }
}

/** An ISO 8601 time that is a real calendar instant (Date.parse accepts `2026-02-31`; this does not). */
function instantOf(parameter: 'from' | 'to', text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  const t = m ? Date.parse(m[4] === undefined ? `${text}T00:00:00Z` : text) : NaN;
  if (m && Number.isFinite(t)) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d) return t;
  }
  throw new DriftRangeError(parameter, `${parameter} must be an ISO 8601 time (a real calendar date), got "${text}"`);
}

/**
 * The [from, to) a report covers: `window` (1h, 24h, 7d) back from `to` (or now), or `from`/`to` (custom; `to`
 * defaults to now, `from` to one hour before `to`). Bad values are refused naming the parameter.
 */
export function resolveRange(q: { window?: string; from?: string; to?: string }, now: number = Date.now()): { from: number; to: number } {
  if (q.window !== undefined && q.window !== '' && !Object.prototype.hasOwnProperty.call(NAMED_WINDOWS, q.window)) {
    throw new DriftRangeError('window', `window must be one of ${Object.keys(NAMED_WINDOWS).join(', ')} (or give from/to), got "${q.window}"`);
  }
  const to = q.to ? instantOf('to', q.to) : now;
  if (q.window && q.from) throw new DriftRangeError('from', 'give either window or from/to, not both');
  const from = q.from ? instantOf('from', q.from) : to - NAMED_WINDOWS[q.window || '1h'];
  if (!(from < to)) throw new DriftRangeError('from', 'from must be before to');
  if (to - from > MAX_RANGE_MS) throw new DriftRangeError('from', `the range may span at most ${MAX_RANGE_MS / 86_400_000} days (the retention of live profiles)`);
  return { from, to };
}

/** A stored bucket: when it starts, and its profile. */
export interface StoredBucket {
  bucketStart: number;
  bucketMs: number;
  profile: Profile;
}

/**
 * Whether a bucket counts in [from, to): its start lies inside. A bucket straddling `from` counts when it starts at
 * or after it, so consecutive ranges never count a bucket twice.
 */
export function bucketInRange(b: Pick<StoredBucket, 'bucketStart'>, from: number, to: number): boolean {
  return b.bucketStart >= from && b.bucketStart < to;
}

/**
 * The buckets merged into one live profile with the reference's edges. Buckets folded with other edges (a profile
 * written against another reference) cannot be merged exactly and are skipped and counted.
 */
export function mergeBuckets(reference: ReferenceProfile, buckets: readonly Pick<StoredBucket, 'profile'>[]): { profile: Profile; merged: number; skipped: number } {
  let profile = emptyProfileLike(reference);
  let merged = 0;
  let skipped = 0;
  for (const { profile: p } of buckets) {
    if (!compatible(reference, p)) {
      skipped++;
      continue;
    }
    profile = mergeProfiles(profile, p);
    merged++;
  }
  return { profile, merged, skipped };
}

function compatible(reference: ReferenceProfile, p: Profile): boolean {
  for (const [name, s] of Object.entries(p.features)) {
    const ref = reference.features[name];
    if (!ref || !sameEdges(ref.edges, s.edges)) return false;
  }
  if (p.score && (!reference.score || !sameEdges(reference.score.edges, p.score.edges))) return false;
  return true;
}

/** What drifted in a report, by name: features, then `templates`, `unseen-templates`, `score`, `anomaly-rate`. */
export function driftedSignals(r: DriftReport): string[] {
  const out = r.features.filter((f) => f.drifted).map((f) => f.feature);
  if (r.templates?.drifted) out.push('templates');
  if (r.unseenTemplates?.drifted) out.push('unseen-templates');
  if (r.score?.drifted) out.push('score');
  if (r.anomalyRate.drifted) out.push('anomaly-rate');
  return out;
}
