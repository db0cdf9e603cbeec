import { PoolPresence } from './pool-presence';

describe('PoolPresence', () => {
  it('finds no pool before any probe has been answered, and one as soon as one is', () => {
    const p = new PoolPresence(3);
    expect(p.mirrors).toBe(false);
    p.record(false);
    expect(p.mirrors).toBe(false);
    p.record(true);
    expect(p.mirrors).toBe(true);
  });

  it('keeps the pool through fewer than `misses` unanswered probes in a row, and loses it at the last', () => {
    const p = new PoolPresence(3);
    p.record(true);
    p.record(false);
    p.record(false);
    expect(p.mirrors).toBe(true);
    p.record(true);
    p.record(false);
    p.record(false);
    expect(p.mirrors).toBe(true);
    p.record(false);
    expect(p.mirrors).toBe(false);
  });
});
