import { EXPLAIN_MAX_ROWS, LogLensError, type PredictRow, type RowExplanationDto } from '@loglens/contracts';
import { Explainer, type Explanation } from '@loglens/explain';
import { rowsToMatrix } from '@loglens/model-runtime';
import type { LoadedVersion } from './loaded-version';

/** Sampled permutations per row for graphs with no exact explainer (each costs F + 1 scored rows). */
export const FALLBACK_SAMPLES = 32;

/**
 * Explains the rows a version just scored: the version's explainer is built on the first explained request from the
 * artifact's bytes and kept for the version's life; nothing here runs when a request does not ask.
 */
export async function explainRows(loaded: LoadedVersion, rows: PredictRow[]): Promise<RowExplanationDto[]> {
  if (rows.length > EXPLAIN_MAX_ROWS) {
    throw new LogLensError('VALIDATION_FAILED', `explain: at most ${EXPLAIN_MAX_ROWS} rows per request (got ${rows.length})`);
  }
  const explainer = await loaded.explainer((bytes) =>
    Explainer.fromOnnx(bytes, {
      featureNames: loaded.info.featureNames ?? undefined,
      width: loaded.session.width ?? undefined,
      samples: FALLBACK_SAMPLES,
    }),
  );
  const { ref } = loaded.info;
  if (loaded.session.rowLayout.kind !== 'vector') {
    throw new LogLensError('VALIDATION_FAILED', `${ref}: explanations need a feature-vector model; this one takes named fields`);
  }
  const width = explainer.featureNames.length || loaded.session.width || (Array.isArray(rows[0]) ? rows[0].length : 0);
  const names = explainer.featureNames.length ? explainer.featureNames : null;
  const flat = rowsToMatrix(rows, width, names, ref);
  const matrix = rows.map((_, i) => Array.from(flat.subarray(i * width, (i + 1) * width)));
  const score = (batch: number[][]): Promise<number[]> => loaded.session.predict(batch).then((r) => r.scores);
  const explanations = await explainer.explainRows(matrix, score);
  return explanations.map(toDto);
}

function toDto(e: Explanation): RowExplanationDto {
  return {
    method: e.method,
    approximate: e.approximate,
    outputSpace: e.outputSpace,
    baseValue: e.baseValue,
    outputValue: e.outputValue,
    attributions: e.attributions.map(({ feature, value, reference, contribution }) =>
      reference === undefined ? { feature, value, contribution } : { feature, value, reference, contribution },
    ),
  };
}

/**
 * A request's `explainTop`: each row keeps its first k attributions (the list is ranked by |contribution|) and
 * carries `attributionSum`, the whole list's sum in rank order, so the rest stays accounted for. Rows with at most
 * k attributions are left whole.
 */
export function keepTopAttributions(explanations: RowExplanationDto[], top: number | undefined | null): RowExplanationDto[] {
  if (top == null) return explanations;
  return explanations.map((e) => {
    if (e.attributions.length <= top) return e;
    let sum = 0;
    for (const a of e.attributions) sum += a.contribution;
    return { ...e, attributions: e.attributions.slice(0, top), attributionSum: sum };
  });
}
