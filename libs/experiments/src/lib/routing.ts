/**
 * Sticky weighted routing. A key (a source, an AP, a session, an `x-loglens-route` header) is hashed to a point in
 * [0, 1); the arms own consecutive slices of that interval, candidates first and the control last. The same key lands
 * on the same arm while the weights stand, and raising a candidate's weight only moves keys from the control to
 * that candidate (the slice grows at its end), so a canary step never reshuffles keys already on the candidate.
 */

/** One arm of an experiment: a model version and its share of the traffic in percent (0–100). */
export interface RouteArm {
  version: string;
  weight: number;
}

/** What a worker needs to route one model's requests: the arms (control last) and the shadow share. */
export interface RouteTable {
  experimentId: string;
  control: string;
  /** candidates with their weights; the control gets 100 − their sum */
  candidates: RouteArm[];
  /** percent of requests also scored, off the reply path, by the shadow arm (kind shadow) */
  shadowPercent?: number;
  /** the version shadow copies go to (kind shadow: the candidate) */
  shadowVersion?: string;
}

/**
 * 32-bit FNV-1a over the UTF-16 code units, then murmur3's finaliser so that keys differing in one character spread
 * over the whole range (plain FNV-1a leaves the low bits of similar keys correlated).
 */
export function stableHash(key: string): number {
  return finalise(fnv1a(0x811c9dc5, key));
}

function fnv1a(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

function finalise(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The key's point in [0, 1). A salt (the experiment id) keeps two experiments' splits independent. The same as
 * `stableHash(salt + '\u0000' + key)`, without building that string on every request.
 */
export function keyPoint(key: string, salt = ''): number {
  const h = fnv1a(Math.imul(fnv1a(0x811c9dc5, salt), 0x01000193), key);
  return finalise(h) / 0x1_0000_0000;
}

/** The arms in routing order with the control's implied weight: candidates first, the control last. */
export function armsOf(table: Pick<RouteTable, 'control' | 'candidates'>): RouteArm[] {
  const candidates = table.candidates.map((c) => ({ version: c.version, weight: clampWeight(c.weight) }));
  const used = candidates.reduce((sum, c) => sum + c.weight, 0);
  return [...candidates, { version: table.control, weight: Math.max(0, 100 - used) }];
}

/**
 * The arm that serves a request. With a key the choice is sticky (a stable hash); without one it is drawn from
 * `random` (Math.random by default). Weights are percent; the control takes what the candidates leave.
 */
export function chooseArm(
  table: Pick<RouteTable, 'experimentId' | 'control' | 'candidates'>,
  key?: string,
  random: () => number = Math.random,
): string {
  const candidates = table.candidates;
  // every request of a shadow experiment (and of a canary at 0 %) is the control's: no draw, no hash, no garbage
  if (candidates.length === 0) return table.control;
  const point = key === undefined || key === '' ? random() : keyPoint(key, table.experimentId);
  // armAt(armsOf(table), point) without building the arm list on every request (the hot path of every routed predict)
  let edge = 0;
  let used = 0;
  let lastWeighted: string | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const weight = clampWeight(candidates[i].weight);
    used += weight;
    edge += weight / 100;
    if (weight > 0) lastWeighted = candidates[i].version;
    if (point < edge) return candidates[i].version;
  }
  // the control takes what the candidates leave; rounding (weights summing to 99.999…) or a control at weight 0:
  // the last arm with any weight, else the control
  return Math.max(0, 100 - used) > 0 ? table.control : (lastWeighted ?? table.control);
}

/** Whether this request also gets a shadow copy: sticky by key like the arm choice (salted apart from it). */
export function shouldShadow(
  table: Pick<RouteTable, 'experimentId' | 'shadowPercent'>,
  key?: string,
  random: () => number = Math.random,
): boolean {
  const percent = clampWeight(table.shadowPercent ?? 0);
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  const point = key === undefined || key === '' ? random() : keyPoint(key, `${table.experimentId}/shadow`);
  return point * 100 < percent;
}

function clampWeight(weight: number): number {
  return Number.isFinite(weight) ? Math.min(100, Math.max(0, weight)) : 0;
}
