import { parseVersionRef } from './version-ref';
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
