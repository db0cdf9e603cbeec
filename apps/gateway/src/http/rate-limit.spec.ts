import { TokenBuckets, isPredictRoute } from './rate-limit';

describe('TokenBuckets', () => {
  it('allows a minute of budget at once, then one request per refill interval, and says how long to wait', () => {
    const b = new TokenBuckets(60); // one a second
    const t0 = 1_000_000;
    for (let i = 0; i < 60; i++) expect(b.take('k', t0)).toBe(0);
    expect(b.take('k', t0)).toBe(1000);
    expect(b.take('k', t0 + 400)).toBe(600);
    expect(b.take('k', t0 + 1000)).toBe(0);
    expect(b.take('k', t0 + 1000)).toBeGreaterThan(0);
    // another key has a budget of its own
    expect(b.take('other', t0)).toBe(0);
  });

  it('tells an exhausted bucket without spending from it, and forgets refilled buckets when full', () => {
    const b = new TokenBuckets(2, 3);
    expect(b.exhausted('a', 0)).toBe(false);
    b.take('a', 0);
    b.take('a', 0);
    expect(b.exhausted('a', 0)).toBe(true);
    expect(b.exhausted('a', 60_000)).toBe(false);
    b.take('b', 60_000);
    b.take('c', 60_000);
    b.take('d', 60_000);
    expect(b.size).toBeLessThanOrEqual(3);
  });
});

describe('isPredictRoute', () => {
  it('is POST predict and the v2 infer routes only', () => {
    expect(isPredictRoute('POST', '/api/v1/models/predict')).toBe(true);
    expect(isPredictRoute('POST', '/v2/models/iris/infer')).toBe(true);
    expect(isPredictRoute('POST', '/v2/models/iris/versions/2/infer')).toBe(true);
    expect(isPredictRoute('GET', '/api/v1/models/predict')).toBe(false);
    expect(isPredictRoute('POST', '/api/v1/models/analyze')).toBe(false);
    expect(isPredictRoute('POST', '/v2/models/iris/infer/x')).toBe(false);
  });
});
