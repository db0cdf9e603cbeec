import { canonicalJson, fingerprintOf } from './idempotency.interceptor';

const req = (body: unknown, extra: Partial<{ method: string; originalUrl: string; headers: Record<string, string> }> = {}) => ({
  method: 'POST',
  originalUrl: '/model-management/rollback',
  headers: { 'content-type': 'application/json' },
  body,
  ...extra,
});

describe('Idempotency-Key fingerprints', () => {
  it('takes the same body with its keys in another order for the same request', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(fingerprintOf(req({ model: 'iris', reason: 'x' }) as never)).toBe(fingerprintOf(req({ reason: 'x', model: 'iris' }) as never));
  });

  it('tells another body, route or method apart', () => {
    const base = fingerprintOf(req({ model: 'iris' }) as never);
    expect(fingerprintOf(req({ model: 'rose' }) as never)).not.toBe(base);
    expect(fingerprintOf(req({ model: 'iris' }, { originalUrl: '/model-management/iris@1/deploy' }) as never)).not.toBe(base);
    expect(fingerprintOf(req({ model: 'iris' }, { method: 'PUT' }) as never)).not.toBe(base);
  });

  it('recognises a multipart upload by its size and type, whatever boundary the client picked', () => {
    const upload = (boundary: string, length: string) =>
      fingerprintOf(req(undefined, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length } }) as never);
    expect(upload('----a1', '1000')).toBe(upload('----b2', '1000'));
    expect(upload('----a1', '1000')).not.toBe(upload('----a1', '1001'));
  });
});
