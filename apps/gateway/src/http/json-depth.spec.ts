import { JsonTooDeepError, jsonDepth, verifyJsonDepth } from './json-depth';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('jsonDepth', () => {
  it('counts nested arrays and objects, not brackets inside strings', () => {
    expect(jsonDepth(bytes('{"a":[1,{"b":[]}]}'), 64)).toBe(4);
    expect(jsonDepth(bytes('["[[[[", "{\\"[[["]'), 64)).toBe(1);
    expect(jsonDepth(bytes('"plain"'), 64)).toBe(0);
  });

  it('stops as soon as the limit is passed', () => {
    expect(jsonDepth(bytes('['.repeat(100_000)), 64)).toBe(65);
  });

  it('starts again at each line for NDJSON, and counts the whole text otherwise', () => {
    const ndjson = Array.from({ length: 10 }, () => '{"a":{"b":{"c":1}}}').join('\n');
    expect(jsonDepth(bytes(ndjson), 64, true)).toBe(3);
    const pretty = `${'[\n'.repeat(70)}${']\n'.repeat(70)}`;
    expect(jsonDepth(bytes(pretty), 64)).toBe(65);
  });
});

describe('verifyJsonDepth', () => {
  const verify = verifyJsonDepth(8);
  const req = (type: string) => ({ headers: { 'content-type': type } });

  it('refuses a too-deep JSON or NDJSON body with a 400 naming the limit', () => {
    const deep = bytes(`${'['.repeat(9)}${']'.repeat(9)}`);
    expect(() => verify(req('application/json'), {}, deep)).toThrow(JsonTooDeepError);
    try {
      verify(req('application/json; charset=utf-8'), {}, deep);
    } catch (e) {
      expect(e).toMatchObject({ status: 400, message: expect.stringMatching(/deeper than 8 .*JSON_MAX_DEPTH/) });
    }
    expect(() => verify(req('application/x-ndjson'), {}, deep)).toThrow(/on one line/);
  });

  it('passes bodies within the limit and bodies that are not JSON', () => {
    expect(() => verify(req('application/json'), {}, bytes('[[[1]]]'))).not.toThrow();
    expect(() => verify(req('text/plain'), {}, bytes('['.repeat(100)))).not.toThrow();
    expect(() => verify(req('application/x-protobuf'), {}, bytes('['.repeat(100)))).not.toThrow();
  });
});
