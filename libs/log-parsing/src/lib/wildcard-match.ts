import { WILDCARD } from './masking';

/**
 * Matching `<*>` templates against text in O(text × template) time, with no regular expression: the classic glob
 * algorithm, which on a mismatch backtracks only to the last `<*>` (a regex of `(.*?)` groups can backtrack through
 * every combination of their lengths on a line that does not fit). Whitespace runs count as one space.
 */
export class WildcardPattern {
  /** the template's literal pieces between `<*>`s, whitespace collapsed */
  private readonly pieces: string[];
  private readonly anchoredStart: boolean;
  private readonly anchoredEnd: boolean;

  /**
   * @param template text with `<*>` for any value
   * @param anchored true: the whole text must fit (parameter extraction); false: the template's pieces must occur
   *   in order anywhere in the text (vocabulary lookup, as `a.*?b.*?c` would)
   */
  constructor(template: string, anchored: boolean) {
    const pieces = template.split(WILDCARD).map(collapseWhitespace);
    this.anchoredStart = anchored;
    this.anchoredEnd = anchored;
    this.pieces = anchored ? pieces : pieces.map((p) => p.trim()).filter((p) => p.length > 0);
  }

  /** Whether the text fits. */
  test(text: string): boolean {
    return this.exec(collapseWhitespace(text)) !== null;
  }

  /** {@link test} of a text whose whitespace runs are already one space each (collapseWhitespace): one text, many patterns. */
  testCollapsed(text: string): boolean {
    return this.exec(text) !== null;
  }

  /** The text at each `<*>`, in order; null when the text does not fit. Only meaningful for anchored patterns. */
  params(text: string): string[] | null {
    return this.exec(collapseWhitespace(text).trim());
  }

  private exec(text: string): string[] | null {
    const pieces = this.pieces;
    if (!this.anchoredStart) {
      // unanchored: each piece at its earliest place after the previous one (earliest is always best)
      let at = 0;
      for (const p of pieces) {
        const i = text.indexOf(p, at);
        if (i < 0) return null;
        at = i + p.length;
      }
      return [];
    }
    // anchored: first piece a prefix, last piece a suffix, the middle ones leftmost in order
    if (pieces.length === 1) return text === pieces[0] ? [] : null;
    const first = pieces[0];
    const last = pieces[pieces.length - 1];
    if (!text.startsWith(first) || text.length < first.length + last.length || !text.endsWith(last)) return null;
    const end = text.length - last.length;
    const params: string[] = [];
    let at = first.length;
    for (let k = 1; k < pieces.length - 1; k++) {
      const p = pieces[k];
      const i = p.length === 0 ? at : text.indexOf(p, at);
      if (i < 0 || i + p.length > end) return null;
      params.push(text.slice(at, i));
      at = i + p.length;
    }
    params.push(text.slice(at, end));
    return params;
  }
}

/** The text with every whitespace run as one space (how patterns compare texts). */
export function collapseWhitespace(s: string): string {
  // most lines have single spaces only: one pass over the char codes finds that, and the line is returned as it is
  // instead of copied (a global replace allocates for every space it matches)
  let prevSpace = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return s.replace(/\s+/g, ' ');
      prevSpace = true;
    } else if (c > 32 && c < 0xa0) prevSpace = false;
    else if (isOtherWhitespace(c)) return s.replace(/\s+/g, ' ');
    else prevSpace = false;
  }
  return s;
}

/** Whitespace to JavaScript's `\s` other than the plain space (tab, line breaks, no-break and Unicode spaces). */
function isOtherWhitespace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
