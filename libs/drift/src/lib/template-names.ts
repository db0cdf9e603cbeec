import { WildcardPattern } from '@loglens/log-parsing';
import type { CategoricalSketch } from './sketch';

/** Most live template texts a {@link ReferenceTemplateNames} remembers the answer for. */
const CACHE_MAX = 10_000;

/**
 * Names live templates the way the reference does. A template miner generalises with more data ("GET <*> in <*>"
 * from training, "GET <*> <*> in <*> ms" from a younger miner), so texts rarely match exactly: a live template is
 * counted under the reference template whose `<*>` pattern covers it (the most specific one: longest text), as the
 * agents' pipeline decides which template column a line counts in. A template no reference pattern covers keeps its
 * own text: it is unseen.
 */
export class ReferenceTemplateNames {
  private readonly patterns: Array<{ text: string; pattern: WildcardPattern }>;
  private readonly known: ReadonlySet<string>;
  private readonly cache = new Map<string, string>();

  constructor(reference: CategoricalSketch | null) {
    const texts = Object.keys(reference?.counts ?? {});
    this.known = new Set(texts);
    this.patterns = texts.sort((a, b) => b.length - a.length).map((text) => ({ text, pattern: new WildcardPattern(text, true) }));
  }

  /** The reference's name for a live template text (itself when unseen). */
  nameOf(text: string): string {
    if (this.known.has(text)) return text;
    const cached = this.cache.get(text);
    if (cached !== undefined) return cached;
    const name = this.patterns.find((p) => p.pattern.test(text))?.text ?? text;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(text, name);
    return name;
  }

  /** Lines per reference name from lines per live template text. */
  rename(templates: Iterable<readonly [string, number]>): Map<string, number> {
    const out = new Map<string, number>();
    for (const [text, n] of templates) {
      const name = this.nameOf(text);
      out.set(name, (out.get(name) ?? 0) + n);
    }
    return out;
  }
}
