import { ShadowQueue, type ShadowOutcome } from './shadow-queue';

type Call = { version: string; rows: number[]; done: (e: Error | null, r?: { scores: number[]; isAnomaly: boolean[] | null }) => void };

function queue(options = { flushMs: 50, batchRows: 8, maxRows: 16 }) {
  const calls: Call[] = [];
  const outcomes: Array<{ context: string; outcome: ShadowOutcome }> = [];
  const dropped: string[] = [];
  const q = new ShadowQueue<number, string>(
    (version, rows, done) => calls.push({ version, rows, done }),
    (item, outcome) => outcomes.push({ context: item.context, outcome }),
    (item) => dropped.push(item.context),
    options,
  );
  const offer = (context: string, rows: number[], version = 'm@2') => q.offer({ version, rows, controlFlags: rows.map(() => false), context });
  return { q, calls, outcomes, dropped, offer };
}

/** the fake shadow version: score = row / 10, flagged at ≥ 0.5 */
const answer = (c: Call) => c.done(null, { scores: c.rows.map((r) => r / 10), isAnomaly: c.rows.map((r) => r >= 5) });

describe('ShadowQueue', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends nothing before flushMs, then one batch of every copy queued, and gives each copy its own rows back', () => {
    const { calls, outcomes, offer } = queue();
    offer('a', [1, 2]);
    offer('b', [6]);
    jest.advanceTimersByTime(49);
    expect(calls).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(calls.map((c) => c.rows)).toEqual([[1, 2, 6]]);
    answer(calls[0]);
    expect(outcomes.map((o) => [o.context, o.outcome.scores, o.outcome.flags])).toEqual([
      ['a', [0.1, 0.2], [false, false]],
      ['b', [0.6], [true]],
    ]);
  });

  it('sends at batchRows without waiting for the timer, one batch in flight at a time', () => {
    const { calls, offer } = queue();
    offer('a', [1, 2, 3, 4]);
    offer('b', [5, 6, 7, 8]);
    expect(calls.map((c) => c.rows.length)).toEqual([8]);
    offer('c', [1, 1, 1, 1, 1, 1, 1, 1]);
    // the first batch is still out: the next waits for it
    expect(calls).toHaveLength(1);
    answer(calls[0]);
    expect(calls.map((c) => c.rows.length)).toEqual([8, 8]);
  });

  it('drops and counts copies that do not fit in maxRows, without blocking, and takes them again once it drains', () => {
    const { q, calls, dropped, offer } = queue();
    expect(offer('a', [1, 2, 3, 4, 5, 6, 7, 8])).toBe(true);
    expect(offer('b', [1, 2, 3, 4, 5, 6, 7, 8])).toBe(true);
    expect(offer('c', [1])).toBe(false);
    expect(dropped).toEqual(['c']);
    expect(q.counters).toMatchObject({ queued: 2, dropped: 1, pendingRows: 16 });
    answer(calls[0]);
    answer(calls[1]);
    expect(q.counters.pendingRows).toBe(0);
    expect(offer('d', [1])).toBe(true);
  });

  it('reports a failed batch as failed for each of its copies', () => {
    const { calls, outcomes, offer } = queue();
    offer('a', [1]);
    offer('b', [2]);
    jest.advanceTimersByTime(50);
    calls[0].done(new Error('boom'));
    expect(outcomes.map((o) => [o.context, o.outcome.ok])).toEqual([
      ['a', false],
      ['b', false],
    ]);
  });

  it('keeps versions apart: one batch per shadow version', () => {
    const { calls, offer } = queue();
    offer('a', [1], 'm@2');
    offer('b', [2], 'n@3');
    offer('c', [3], 'm@2');
    jest.advanceTimersByTime(50);
    expect(calls.map((c) => [c.version, c.rows])).toEqual([['m@2', [1, 3]]]);
    answer(calls[0]);
    jest.advanceTimersByTime(50);
    expect(calls.map((c) => [c.version, c.rows])).toEqual([
      ['m@2', [1, 3]],
      ['n@3', [2]],
    ]);
  });
});
