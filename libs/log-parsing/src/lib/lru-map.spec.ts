import { LruMap } from './lru-map';

describe('LruMap', () => {
  it('holds at most its capacity over a million distinct keys and counts what it dropped', () => {
    const m = new LruMap<string, number>(1000);
    for (let i = 0; i < 1_000_000; i++) m.set(`k${i}`, i);
    expect(m.size).toBe(1000);
    expect(m.evictions).toBe(999_000);
    expect(m.has('k999999')).toBe(true);
    expect(m.has('k0')).toBe(false);
  });

  it('drops the least recently used, reads included', () => {
    const dropped: string[] = [];
    const m = new LruMap<string, number>(2, (k) => dropped.push(k));
    m.set('a', 1).set('b', 2);
    m.get('a');
    m.set('c', 3);
    expect(dropped).toEqual(['b']);
    expect([...m.keys()]).toEqual(['a', 'c']);
    m.peek('a');
    m.set('d', 4);
    expect(dropped).toEqual(['b', 'a']);
  });
});
