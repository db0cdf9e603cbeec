import { RateMeter } from './rate-meter';

describe('RateMeter', () => {
  const t0 = 1_700_000_000_000;

  it('gives the rate over the whole seconds before the current one', () => {
    const m = new RateMeter(60, t0);
    // 1,000 events in each of 10 seconds, 500 of them in each half second
    for (let s = 0; s < 10; s++) {
      m.add(500, t0 + s * 1000 + 100);
      m.add(500, t0 + s * 1000 + 600);
    }
    m.add(123, t0 + 10_000 + 50); // the current second's partial count is not in the rates yet
    expect(m.perSecond(10, t0 + 10_500)).toBe(1000);
    expect(m.perSecond(5, t0 + 10_500)).toBe(1000);
    // since the start there were 10 whole seconds: a 60 s window divides by those, not by 60
    expect(m.perSecond(60, t0 + 10_500)).toBe(1000);
    expect(m.lastSeconds(t0 + 10_500)).toEqual({ last10s: 1000, last60s: 1000 });
  });

  it('falls as seconds pass without events, and forgets what is older than its span', () => {
    const m = new RateMeter(60, t0);
    for (let s = 0; s < 10; s++) m.add(100, t0 + s * 1000);
    // 10 s later: the last 10 s had none, the last 20 s had 1,000 events
    expect(m.perSecond(10, t0 + 20_000)).toBe(0);
    expect(m.perSecond(20, t0 + 20_000)).toBe(50);
    // two minutes later every slot has been reused
    m.add(59, t0 + 130_000);
    expect(m.perSecond(59, t0 + 131_000)).toBe(1);
    expect(m.lastSeconds(t0 + 131_000)).toEqual({ last10s: 6, last60s: 1 });
  });

  it('reports 0 in its first second and ignores a clock that goes back', () => {
    const m = new RateMeter(60, t0 + 200);
    m.add(10, t0 + 300);
    expect(m.perSecond(10, t0 + 900)).toBe(0);
    m.add(10, t0 - 5000);
    expect(m.perSecond(10, t0 + 1100)).toBe(20);
  });
});
