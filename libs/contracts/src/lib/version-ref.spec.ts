import { EXPECTED_CURRENT_PATTERN, checkExpectedCurrent, parseVersionRef } from './version-ref';
import { LogLensError } from './errors';

describe('parseVersionRef', () => {
  it('reads a bare name as the serving version', () => {
    expect(parseVersionRef('hdfs-logreg')).toEqual({ model: 'hdfs-logreg', selector: { kind: 'serving' } });
  });
  it('reads numbers, latest and aliases', () => {
    expect(parseVersionRef('m@12').selector).toEqual({ kind: 'number', version: 12 });
    expect(parseVersionRef('m@latest').selector).toEqual({ kind: 'latest' });
    expect(parseVersionRef('m@production').selector).toEqual({ kind: 'alias', alias: 'production' });
  });
  it('refuses references that are not well formed, naming the expected forms', () => {
    for (const bad of ['', 'M@1', 'm@0', 'm@', 'm@1@2', '../etc', 'm@-x']) {
      expect(() => parseVersionRef(bad)).toThrow(LogLensError);
    }
    expect(() => parseVersionRef('m@0')).toThrow(/name@<number>/);
  });
});

describe('checkExpectedCurrent', () => {
  const errorOf = (f: () => void): LogLensError | null => {
    try {
      f();
      return null;
    } catch (e) {
      return e as LogLensError;
    }
  };

  it('passes when nothing is expected or the expectation holds (name@N, N, none)', () => {
    expect(errorOf(() => checkExpectedCurrent(undefined, 'iris', 3, 'model "iris"'))).toBeNull();
    expect(errorOf(() => checkExpectedCurrent('iris@3', 'iris', 3, 'model "iris"'))).toBeNull();
    expect(errorOf(() => checkExpectedCurrent('3', 'iris', 3, 'model "iris"'))).toBeNull();
    expect(errorOf(() => checkExpectedCurrent('none', 'iris', null, 'model "iris"'))).toBeNull();
  });

  it('answers CONFLICT naming the actual current version when it moved', () => {
    const e = errorOf(() => checkExpectedCurrent('iris@3', 'iris', 2, 'model "iris"'));
    expect(e?.code).toBe('CONFLICT');
    expect(e?.message).toMatch(/model "iris" is at iris@2, not iris@3/);
    expect(e?.details).toEqual(['current: iris@2']);
    expect(errorOf(() => checkExpectedCurrent('none', 'iris', 1, 'alias iris@production'))?.message).toMatch(/at iris@1, not none/);
    expect(errorOf(() => checkExpectedCurrent('2', 'iris', null, 'model "iris"'))?.details).toEqual(['current: none']);
  });

  it('refuses another model’s version as the expectation', () => {
    expect(errorOf(() => checkExpectedCurrent('rose@3', 'iris', 3, 'model "iris"'))?.code).toBe('VALIDATION_FAILED');
    expect(['iris@1', '7', 'none'].every((v) => EXPECTED_CURRENT_PATTERN.test(v))).toBe(true);
    expect(['iris@0', 'iris@latest', '', 'None'].some((v) => EXPECTED_CURRENT_PATTERN.test(v))).toBe(false);
  });
});
