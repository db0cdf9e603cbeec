import { WildcardPattern, collapseWhitespace } from './wildcard-match';

describe('collapseWhitespace', () => {
  it('returns a single-spaced text as it is', () => {
    const text = 'Receiving block blk_1 src: /10.0.0.1:50010 dest: /10.0.0.2:50010';
    expect(collapseWhitespace(text)).toBe(text);
    expect(collapseWhitespace('')).toBe('');
  });

  it('makes every other whitespace run one space: doubles, tabs, newlines, no-break and other Unicode spaces', () => {
    expect(collapseWhitespace('a  b')).toBe('a b');
    expect(collapseWhitespace('a\tb')).toBe('a b');
    expect(collapseWhitespace('a \r\n b')).toBe('a b');
    expect(collapseWhitespace('a\u00a0b')).toBe('a b');
    expect(collapseWhitespace('a\u2003\u2003b ')).toBe('a b ');
    expect(collapseWhitespace(' a')).toBe(' a');
  });

  it('lets a pattern match a line whatever its spacing', () => {
    const p = new WildcardPattern('Deleting block <*> file <*>', true);
    expect(p.params('Deleting  block\tblk_1 file /data/blk_1')).toEqual(['blk_1', '/data/blk_1']);
    expect(p.test('Deleting block blk_1 file /data/blk_1')).toBe(true);
  });
});

describe('collapseWhitespace against the regular expression it stands for', () => {
  it('agrees with s.replace(/\\s+/g, " ") on every kind of whitespace, alone, doubled and mixed', () => {
    const spaces = [' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
    const notSpaces = ['\u0085', '\u200b', '\u180e', 'x', '<*>'];
    for (const a of [...spaces, ...notSpaces]) {
      for (const b of [...spaces, ...notSpaces]) {
        for (const text of [`a${a}b`, `a${a}${b}b`, `${a}a b${b}`, `a ${a}b`]) expect(collapseWhitespace(text)).toBe(text.replace(/\s+/g, ' '));
      }
    }
  });
});
