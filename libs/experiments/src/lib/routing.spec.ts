import { armsOf, chooseArm, keyPoint, RouteTable, shouldShadow, stableHash } from './routing';

const table = (candidates: { version: string; weight: number }[]): RouteTable => ({ experimentId: 'exp-1', control: '1.0.0', candidates });

describe('sticky weighted routing', () => {
  it('answers each of 1,000 keys, sent 20 times, always from one arm, with shares within 3 points of the weights', () => {
    for (const candidates of [
      [{ version: '2.0.0', weight: 10 }],
      [{ version: '2.0.0', weight: 50 }],
      [
        { version: '2.0.0', weight: 30 },
        { version: '3.0.0', weight: 20 },
      ],
    ]) {
      const t = table(candidates);
      const armOfKey = new Map<string, string>();
      const sends = new Map<string, number>();
      for (let round = 0; round < 20; round++) {
        for (let k = 0; k < 1000; k++) {
          const key = `ap-${k}`;
          const arm = chooseArm(t, key);
          if (round === 0) armOfKey.set(key, arm);
          expect(arm).toBe(armOfKey.get(key));
          sends.set(arm, (sends.get(arm) ?? 0) + 1);
        }
      }
      const controlWeight = 100 - candidates.reduce((s, c) => s + c.weight, 0);
      for (const arm of [...candidates, { version: '1.0.0', weight: controlWeight }]) {
        const share = ((sends.get(arm.version) ?? 0) / 20000) * 100;
        expect(Math.abs(share - arm.weight)).toBeLessThanOrEqual(3);
      }
    }
  });

  it('moves keys only from the control to the candidate when the candidate weight rises', () => {
    const before = table([{ version: '2.0.0', weight: 10 }]);
    const after = table([{ version: '2.0.0', weight: 50 }]);
    let moved = 0;
    for (let k = 0; k < 2000; k++) {
      const a = chooseArm(before, `src-${k}`);
      const b = chooseArm(after, `src-${k}`);
      if (a === '2.0.0') expect(b).toBe('2.0.0');
      if (a !== b) moved++;
    }
    expect(moved).toBeGreaterThan(600); // about 40 % of 2,000
    expect(moved).toBeLessThan(1000);
  });

  it('sends everything to the control at weight 0 and everything to the candidate at 100', () => {
    for (let k = 0; k < 200; k++) {
      expect(chooseArm(table([{ version: '2.0.0', weight: 0 }]), `k${k}`)).toBe('1.0.0');
      expect(chooseArm(table([{ version: '2.0.0', weight: 100 }]), `k${k}`)).toBe('2.0.0');
    }
  });

  it('draws unkeyed requests from the random source', () => {
    const t = table([{ version: '2.0.0', weight: 25 }]);
    expect(chooseArm(t, undefined, () => 0.2)).toBe('2.0.0');
    expect(chooseArm(t, undefined, () => 0.3)).toBe('1.0.0');
  });

  it('keeps every key on the arm the arm list puts it on, and routes a shadow experiment to the control without a draw', () => {
    // the reference: walk the arms (candidates first, the control last) by their edges, as the route table defines them
    const reference = (t: RouteTable, point: number): string => {
      let edge = 0;
      const arms = armsOf(t);
      for (const arm of arms) if (point < (edge += arm.weight / 100)) return arm.version;
      return [...arms].reverse().find((a) => a.weight > 0)?.version ?? t.control;
    };
    for (const candidates of [
      [{ version: '2.0.0', weight: 10 }],
      [{ version: '2.0.0', weight: 0 }],
      [{ version: '2.0.0', weight: 100 }],
      [
        { version: '2.0.0', weight: 33.3 },
        { version: '3.0.0', weight: 66.7 },
      ],
      [
        { version: '2.0.0', weight: 30 },
        { version: '3.0.0', weight: 0 },
        { version: '4.0.0', weight: 20 },
      ],
    ]) {
      const t = table(candidates);
      for (let k = 0; k < 2000; k++) expect(chooseArm(t, `src-${k}`)).toBe(reference(t, keyPoint(`src-${k}`, t.experimentId)));
    }
    // the salted point is the hash of salt, NUL and key, without the string being built
    for (const [key, salt] of [['ap-7', 'exp-1'], ['', ''], ['host-1', '']]) expect(keyPoint(key, salt)).toBe(stableHash(`${salt}\u0000${key}`) / 0x1_0000_0000);
    const draws = jest.fn(() => 0.5);
    expect(chooseArm(table([]), 'k1', draws)).toBe('1.0.0');
    expect(chooseArm(table([]), undefined, draws)).toBe('1.0.0');
    expect(draws).not.toHaveBeenCalled();
  });

  it('hashes stably and spreads similar keys over the range', () => {
    expect(stableHash('ap-1')).toBe(stableHash('ap-1'));
    expect(stableHash('ap-1')).not.toBe(stableHash('ap-2'));
    const buckets = new Array<number>(10).fill(0);
    for (let k = 0; k < 10000; k++) buckets[Math.floor(keyPoint(`host-${k}`) * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(150);
  });

  it('shadows every request at 100 %, none at 0 and about the given share in between, sticky by key', () => {
    const t = { experimentId: 'exp-1', shadowPercent: 30 };
    let shadowed = 0;
    for (let k = 0; k < 5000; k++) {
      const s = shouldShadow(t, `w-${k}`);
      expect(shouldShadow(t, `w-${k}`)).toBe(s);
      if (s) shadowed++;
    }
    expect(Math.abs(shadowed / 50 - 30)).toBeLessThan(3);
    expect(shouldShadow({ experimentId: 'e', shadowPercent: 100 }, 'x')).toBe(true);
    expect(shouldShadow({ experimentId: 'e', shadowPercent: 0 }, 'x')).toBe(false);
  });
});
