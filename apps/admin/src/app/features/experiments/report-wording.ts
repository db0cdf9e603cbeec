import type { ExperimentDto } from '@loglens/contracts/protocol';
import type { ArmComparison, MannWhitneyResult, ProportionTest } from './experiments.model';

/** A share as percent with one decimal: 0.1234 → "12.3 %". */
export function pct(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** A difference of shares in percentage points, signed: 0.025 → "+2.5 points". */
export function points(difference: number): string {
  const p = difference * 100;
  const sign = p > 0 ? '+' : p < 0 ? '−' : '±';
  return `${sign}${Math.abs(p).toFixed(1)} points`;
}

/** A p-value as an operator reads it: three decimals, "< 0.001" below that. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** "p = 0.012" / "p < 0.001". */
export function pIs(p: number): string {
  const f = formatP(p);
  return f.startsWith('<') ? `p ${f}` : `p = ${f}`;
}

const n = (nA: number, nB: number): string =>
  `n = ${nA.toLocaleString('en')} control, ${nB.toLocaleString('en')} candidate`;

/**
 * One proportion test (anomaly rate or error rate, candidate − control) in words. The verdict reads the always-valid
 * (mSPRT) p-value, as the recommendation does: the report is looked at many times while the experiment runs, and the
 * fixed-horizon z-test p-value is valid only for one planned look (it is shown beside it).
 */
export function proportionVerdict(what: string, t: ProportionTest, alpha: number): string {
  if (t.nA === 0 || t.nB === 0) return `no data yet (${n(t.nA, t.nB)})`;
  const ps = `${pIs(t.sequentialPValue)} always-valid, ${pIs(t.pValue)} single-look z-test`;
  if (t.sequentialPValue < alpha) {
    const direction = t.difference > 0 ? 'higher' : 'lower';
    return `significant: the candidate's ${what} is ${direction} by ${points(Math.abs(t.difference)).slice(1)} (${ps}; ${n(t.nA, t.nB)})`;
  }
  if (t.difference === 0) return `no difference (${ps}; ${n(t.nA, t.nB)})`;
  return `not significant yet (${n(t.nA, t.nB)}; ${points(t.difference)}, ${ps})`;
}

/** Mann–Whitney U of the latencies in words: which arm is slower, if the difference is real. */
export function latencyVerdict(t: MannWhitneyResult, alpha: number): string {
  if (t.nA === 0 || t.nB === 0) return `no data yet (${n(t.nA, t.nB)})`;
  const ps = `${pIs(t.pValue)}, P(candidate slower) = ${t.effect.toFixed(2)}`;
  if (t.pValue < alpha && t.effect !== 0.5) {
    return `significant: the candidate is ${t.effect > 0.5 ? 'slower' : 'faster'} (${ps}; ${n(t.nA, t.nB)})`;
  }
  return `not significant yet (${n(t.nA, t.nB)}; ${ps})`;
}

/** The agreement of a candidate with the control on the same inputs (shadow, A/B), or null before any comparison. */
export function agreementText(c: ArmComparison): string | null {
  const a = c.agreement;
  if (a.compared === 0) return null;
  return `same decision on ${pct(a.agreement)} of ${a.compared.toLocaleString('en')} inputs; ${a.flips.toLocaleString('en')} flips (${a.controlOnly.toLocaleString('en')} alarms dropped, ${a.candidateOnly.toLocaleString('en')} new); both flagged ${a.bothFlagged.toLocaleString('en')}`;
}

const CRITERION_LABELS: Record<string, string> = {
  errorRate: 'error rate',
  p99Ms: 'p99 latency',
  anomalyRateDelta: 'anomaly-rate difference',
  agreement: 'agreement',
};

/** A failed criterion: "error rate 4.0 % > 1.0 %" / "p99 latency 812 ms > 500 ms". */
export function failedText(f: { criterion: string; value: number; limit: number }): string {
  const label = CRITERION_LABELS[f.criterion] ?? f.criterion;
  if (f.criterion === 'p99Ms') return `${label} ${Math.round(f.value)} ms > ${f.limit} ms`;
  if (f.criterion === 'agreement') return `${label} ${pct(f.value)} < ${pct(f.limit)}`;
  return `${label} ${pct(f.value)} > ${pct(f.limit)}`;
}

/** The arms with their weights: "lr@2 10 % · lr@1 (control) 90 %"; a shadow arm gets its mirrored share. */
export function armsText(e: Pick<ExperimentDto, 'control' | 'candidates' | 'kind' | 'shadow'>): string {
  if (e.kind === 'shadow') {
    return `${e.control} (control) 100 % · ${e.candidates.map((c) => `${c.version} shadow of ${e.shadow?.percent ?? 0} %`).join(' · ')}`;
  }
  const rest = Math.max(0, 100 - e.candidates.reduce((s, c) => s + c.weight, 0));
  return [...e.candidates.map((c) => `${c.version} ${c.weight} %`), `${e.control} (control) ${rest} %`].join(
    ' · ',
  );
}

/** The newest step that decided or changed something (the start counts when nothing followed). */
export function lastDecision(e: Pick<ExperimentDto, 'steps'>): ExperimentDto['steps'][number] | null {
  return e.steps.length > 0 ? e.steps[e.steps.length - 1] : null;
}

/** The step's weights: "lr@2 → 50 %". */
export function weightsText(weights: Record<string, number>): string {
  const entries = Object.entries(weights);
  return entries.length ? entries.map(([v, w]) => `${v} → ${w} %`).join(', ') : '—';
}

/** The recommendation in words. */
export function recommendationText(r: { winner: string | null; reason: string }, control: string): string {
  if (r.winner === null) return `No winner yet — ${r.reason}.`;
  if (r.winner === control) return `Keep the control ${control}: ${r.reason}.`;
  return `Recommended: ${r.winner} — ${r.reason}.`;
}
