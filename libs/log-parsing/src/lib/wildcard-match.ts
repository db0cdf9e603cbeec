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

/** whitespace other than one plain space: a run of two, or a tab, newline or other space character */
const MORE_THAN_ONE_SPACE = /\s\s|[^\S ]/;

/** The text with every whitespace run as one space (how patterns compare texts). */
export function collapseWhitespace(s: string): string {
  // most lines have single spaces only: tested first, they are returned as they are instead of copied
  return MORE_THAN_ONE_SPACE.test(s) ? s.replace(/\s+/g, ' ') : s;
}
