/** Counts how often each of `eventIds` occurs in a session's event sequence (unknown ids are ignored). */
export function countEvents(sequence: readonly string[], eventIds: readonly string[]): number[] {
  const index = new Map(eventIds.map((id, j) => [id, j] as const));
  const counts = new Array<number>(eventIds.length).fill(0);
  for (const event of sequence) {
    const j = index.get(event);
    if (j !== undefined) counts[j]++;
  }
  return counts;
}
