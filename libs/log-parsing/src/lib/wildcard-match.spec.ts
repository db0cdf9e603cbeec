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
