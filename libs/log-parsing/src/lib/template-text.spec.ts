import { canonicalTemplate } from './template-text';

describe('canonicalTemplate (Loghub-2.0 template conventions)', () => {
  it.each([
    // PS: a path-like token is a value; a slash-prefixed address too
    ['Resolved <*> to /default-rack', 'Resolved <*> to <*>'],
    ['Received block <*> from /<*>:<*>', 'Received block <*> from <*>:<*>'],
    ['opened /var/log/<*>.log for writing', 'opened <*> for writing'],
    // BL / US: booleans and the user strings Loghub-2.0 counts as values
    ['session opened for user root by (uid=<*>)', 'session opened for user <*> by (uid=<*>)'],
    ['setLightsOn(true)', 'setLightsOn(<*>)'],
    // DG: digits alone are a value
    ['retry 3 of <*>', 'retry <*> of <*>'],
    // WV: a word glued to a value is one value
    ['Found block blk_<*> locally', 'Found block <*> locally'],
    ['task attempt<*>m done', 'task <*> done'],
    // … but delimiters are not glued: `{<*>` keeps its brace
    ["registry key '{<*>' loaded", "registry key '{<*>' loaded"],
    // DV and CV: values joined by `.` or by nothing are one
    ['version <*>.<*>.<*> started', 'version <*> started'],
    ['id <*><*> done', 'id <*> done'],
    // separators that carry meaning stay: `<*>:<*>` is an address with its port
    ['connect to <*>:<*> failed', 'connect to <*>:<*> failed'],
    // whitespace collapsed, words kept
    ['  Took   <*>  seconds ', 'Took <*> seconds'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalTemplate(input)).toBe(expected);
  });

  it('leaves a template with nothing to change as it is', () => {
    const t = 'Invalid user <*> from <*> port <*>';
    expect(canonicalTemplate(t)).toBe(t);
  });

  it('works in one pass over hostile text: long runs of values, slashes and glued words', () => {
    const hostile = [
      '<*>'.repeat(20_000),
      `/${'a/'.repeat(20_000)}b`,
      `x${'<*>.'.repeat(10_000)}y`,
      `${'<'.repeat(30_000)}*>`,
      `${'//'.repeat(20_000)}`,
    ];
    for (const h of hostile) {
      const out = canonicalTemplate(h);
      expect(out.length).toBeLessThanOrEqual(h.length);
    }
    expect(canonicalTemplate('<*>'.repeat(20_000))).toBe('<*>');
  });
});
