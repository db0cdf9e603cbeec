/**
 * Grouping accuracy as the Loghub benchmark defines it (Zhu et al., ICSE-SEIP 2019; logpai/logparser
 * `evaluator.get_accuracy`): a line counts as correctly parsed iff the set of lines in its predicted group is exactly
 * the set of lines in its ground-truth group. Returns the fraction of such lines (1 for no lines). Group ids are
 * compared for equality only; their text is irrelevant.
 */
export function groupAccuracy(predictedIds: readonly string[], truthIds: readonly string[]): number {
  if (predictedIds.length !== truthIds.length) {
    throw new RangeError(`${predictedIds.length} predicted ids for ${truthIds.length} truth ids`);
  }
  if (truthIds.length === 0) return 1;
  const truthSize = new Map<string, number>();
  for (const t of truthIds) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  // per predicted group: its size and the one truth id all its lines share (null once two differ)
  const predicted = new Map<string, { size: number; truth: string | null }>();
  predictedIds.forEach((p, i) => {
    const g = predicted.get(p);
    if (!g) predicted.set(p, { size: 1, truth: truthIds[i] });
    else {
      g.size++;
      if (g.truth !== truthIds[i]) g.truth = null;
    }
  });
  let correct = 0;
  for (const g of predicted.values()) {
    if (g.truth !== null && truthSize.get(g.truth) === g.size) correct += g.size;
  }
  return correct / truthIds.length;
}
