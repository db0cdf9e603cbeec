import type { ModelVersionDto, PredictReply } from '@loglens/contracts';
import { formatNumber, formatShape } from '../../shared/format';

/** One scored row of a predict reply, as the results table shows it. */
export interface ResultRow {
  index: number;
  score: string;
  anomaly: boolean | null;
  /** every tensor output's values for this row, e.g. `label 1 · probabilities [0.1, 0.9]` */
  outputs: string;
}

/** Row `i` of every output tensor (dims [N, …]), as text. */
export function outputsOfRow(outputs: PredictReply['outputs'], i: number, rows: number): string {
  return Object.entries(outputs)
    .map(([name, t]) => {
      const per = t.dims[0] === rows && rows > 0 ? t.data.length / rows : t.data.length;
      const slice = t.dims[0] === rows ? t.data.slice(i * per, (i + 1) * per) : t.data;
      const fmt = (v: number | string | null) => (typeof v === 'number' ? formatNumber(v) : String(v));
      return `${name} ${slice.length === 1 ? fmt(slice[0]) : `[${slice.map(fmt).join(', ')}]`}`;
    })
    .join(' · ');
}

/** The reply's rows for the results table (1-based row numbers). */
export function resultRows(r: PredictReply): ResultRow[] {
  return r.scores.map((score, i) => ({
    index: i + 1,
    score: formatNumber(score),
    anomaly: r.isAnomaly?.[i] ?? null,
    outputs: outputsOfRow(r.outputs, i, r.scores.length),
  }));
}

/** What a version reads, for the hint above the rows field: its features in order, else its inputs. */
export function expectsOf(
  v: Pick<ModelVersionDto, 'featureSchema' | 'signature'>,
): { label: string; names: string } | null {
  const features = v.featureSchema?.features.map((f) => f.name) ?? [];
  if (features.length)
    return { label: `Features (${features.length}), in order:`, names: features.join(', ') };
  const inputs = v.signature.inputs;
  if (inputs.length > 1) {
    return {
      label: `Inputs (${inputs.length}), as fields of an object row:`,
      names: inputs.map((i) => `${i.name} (${i.elemType ?? '?'})`).join(', '),
    };
  }
  const i = inputs[0];
  return i ? { label: 'Input:', names: `${i.name} ${formatShape(i.shape)} ${i.elemType ?? ''}` } : null;
}
