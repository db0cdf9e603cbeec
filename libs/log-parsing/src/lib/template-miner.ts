import { DEFAULT_MASK_RULES, MaskRule, SHOWN_JOIN, WILDCARD, maskVariables } from './masking';
import { canonicalTemplate } from './template-text';
import { WildcardPattern } from './wildcard-match';

export interface TemplateMinerOptions {
  /** Tree depth counted as in Drain: root, token-count layer, `depth - 3` leading-token layers, leaf. Minimum 3. */
  depth: number;
  /** A line joins a template when at least this share of the template's constant tokens recur in it. */
  similarityThreshold: number;
  /** Children per inner tree node; beyond it further distinct tokens share the `<*>` child. */
  maxChildren: number;
  /**
   * How many distinct words one position of otherwise alike templates must show before it becomes `<*>` (and those
   * templates merge). Until then a differing word keeps lines apart: `VM Started` / `VM Paused`.
   */
  wordCardinality: number;
  /** Value shapes masked before the search. */
  maskRules: readonly MaskRule[];
  /**
   * At most this many live templates (default 10,000; Loghub's sources have 6–341): a new template past it replaces
   * the least recently matched one, so a source whose lines never repeat costs bounded memory. Not saved in the state.
   */
  maxClusters?: number;
}

export interface MinedTemplate {
  id: string;
  template: string;
  /** Lines mined into this template, including those of templates merged into it. */
  count: number;
  tokens: string[];
  /** Ids of templates merged into this one; {@link TemplateMiner.resolveId} maps them here. */
  mergedIds: string[];
}

export interface MineResult {
  templateId: string;
  template: string;
  /** The line started a new template. */
  isNew: boolean;
  /** The template's text changed: a token became `<*>`. */
  changed: boolean;
  /** The line's text at each `<*>` of the template, in order (empty when the line does not fit it exactly). */
  params: string[];
  /** Templates this line caused to merge into `templateId`; their ids resolve to it from now on. Usually empty. */
  mergedIds: string[];
}

/** The prefix tree as saved: each node's template ids (in order) and children. */
export interface TreeState {
  clusters: string[];
  children: Array<[string, TreeState]>;
}

export interface TemplateMinerState {
  version: 1;
  options: {
    depth: number;
    similarityThreshold: number;
    maxChildren: number;
    wordCardinality: number;
    maskRules: Array<{ name: string; source: string; flags: string }>;
  };
  /** Live templates in creation order. */
  templates: Array<{ id: string; tokens: string[]; count: number; display?: string[] }>;
  tree: TreeState;
  /** Merged-away id → the id it was merged into. */
  aliases: Record<string, string>;
}

// One setting for every log source, chosen on the Loghub-2k benchmark (tools/bench/parsing-accuracy.ts). Mean GA
// there stays within 0.974–0.983 for depth 3–6 and similarityThreshold 0.4–0.7; wordCardinality matters more
// (3: 0.934, 4: 0.983, 5: 0.981, 6: 0.980, 10: 0.945). 5 rather than 4 keeps a four-state lifecycle
// (`VM Started/Paused/Resumed/Stopped`) apart at the cost of merging four user names later.
const DEFAULT_MAX_CLUSTERS = 10_000;

export const DEFAULT_TEMPLATE_MINER_OPTIONS: Readonly<TemplateMinerOptions> = {
  depth: 5,
  similarityThreshold: 0.6,
  maxChildren: 100,
  wordCardinality: 5,
  maskRules: DEFAULT_MASK_RULES,
};

interface Cluster {
  id: string;
  tokens: string[];
  /**
   * The template as people read it, position by position: masked values keep the punctuation glued to them
   * (`(TID <*>)`, `<*>:<*>`, `total = <*>,`), a run of values keeps its count (`<*> <*>`). Matching uses `tokens`.
   */
  display: string[];
  count: number;
  /** Creation order: the oldest of merging templates survives. */
  seq: number;
  /** when a line last matched it (a tick of the miner): the least recent goes first past maxClusters */
  lastUsed: number;
  leaf: TreeNode;
  paramPattern?: WildcardPattern;
  /** The template text ({@link canonicalTemplate} of the display), kept until the display changes. */
  text?: { display: string; text: string };
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
}

interface Candidate {
  cluster: Cluster;
  /** Share of the template's constant tokens the line repeats. */
  sim: number;
  /** `<*>` positions of the template. */
  params: number;
  /** Positions where template and line hold different words. */
  wordClashes: number[];
}

const newNode = (): TreeNode => ({ children: new Map(), clusters: [] });

// a token made only of masked values and punctuation: `<*>`, `(<*>)`, `[<*>]:<*>`, `/<*>`. (Tested as "holds a
// `<*>` and no letter or digit": a regex spelling of it backtracked exponentially on `1;2;3;…;24;x`.)
const ALNUM = /[A-Za-z0-9]/;
const isValueToken = (token: string): boolean => token.includes(WILDCARD) && !ALNUM.test(token);
const HAS_DIGIT = /\d/;
const SHOWN_WORDS = new RegExp(`${SHOWN_JOIN}[^\\s${SHOWN_JOIN}<]*`, 'g');
// A word: letters with at most one trailing digit, maybe joined by `_ - = :` and wrapped in punctuation: `Started`,
// `(usable)`, `'Active'`, `user=root`, `CBS_E_INVALID_PACKAGE]`, `eth0`, `IPV6`. Multi-digit runs (`an14`, `t761`)
// are left to the Drain rule that tokens with digits vary.
const WORD = /^[^A-Za-z0-9]*[A-Za-z]+\d?(?:[=:_-]+[A-Za-z]+\d?)*[^A-Za-z0-9]*$/;

/**
 * Online template miner after Drain (He et al., ICWS 2017): values are masked, the line is split on whitespace, a
 * fixed-depth prefix tree keyed by token count and leading tokens leads to a short list of templates, and the most
 * similar one absorbs the line (positions that differ become `<*>`) or the line starts a new template.
 *
 * Departures from Drain, all generic (one configuration for every log source):
 * - adjacent masked values collapse into one `<*>`, so `1190 bytes (1.16 KB) sent` and `0 bytes sent` align;
 * - similarity counts only the template's constant tokens, so masked values do not dilute it;
 * - two different *words* at a position keep lines apart until that position has shown `wordCardinality` distinct
 *   words across otherwise alike templates, which then merge into the oldest (Brain's insight, Yu et al. 2023:
 *   few values at a position mean constants, many mean a variable). The first token never merges this way;
 * - when the leaf the tree leads to holds no match, all templates with the same token count are tried with a
 *   stricter threshold, so a leading token that varies without being a masked value does not split a template.
 *
 * Template ids are a hash of the template's first version and never change; the id of a template merged into
 * another resolves to the survivor ({@link resolveId}), also after {@link toJSON} / {@link fromJSON}.
 */
export class TemplateMiner {
  private readonly opts: TemplateMinerOptions;
  private readonly root = newNode();
  private clusters: Cluster[] = [];
  private readonly byLength = new Map<number, Cluster[]>();
  private readonly ids = new Set<string>();
  private readonly aliases = new Map<string, string>();
  private seq = 0;
  private tick = 0;
  private evicted = 0;

  constructor(opts: Partial<TemplateMinerOptions> = {}) {
    this.opts = { ...DEFAULT_TEMPLATE_MINER_OPTIONS, ...opts };
    const { depth, similarityThreshold, maxChildren, wordCardinality } = this.opts;
    if (!Number.isInteger(depth) || depth < 3)
      throw new RangeError(`depth must be an integer ≥ 3, got ${depth}`);
    if (!(similarityThreshold >= 0 && similarityThreshold <= 1)) {
      throw new RangeError(`similarityThreshold must be in [0, 1], got ${similarityThreshold}`);
    }
    if (!Number.isInteger(maxChildren) || maxChildren < 2) {
      throw new RangeError(`maxChildren must be an integer ≥ 2, got ${maxChildren}`);
    }
    if (!Number.isInteger(wordCardinality) || wordCardinality < 2) {
      throw new RangeError(`wordCardinality must be an integer ≥ 2, got ${wordCardinality}`);
    }
  }

  /**
   * Mines one message: finds or creates its template and updates it. `{ params: false }` skips working out the line's
   * values (`params` is then empty): callers that only count templates (the agents' pipelines) save the pattern match.
   */
  add(message: string, opts?: { params?: boolean }): MineResult {
    const { tokens, display } = this.tokenizeForDisplay(message);
    const { best, candidates } = this.search(tokens);
    this.tick++;
    if (best) {
      best.cluster.count++;
      best.cluster.lastUsed = this.tick;
      const changed = this.absorb(best.cluster, tokens);
      mergeDisplay(best.cluster, display);
      return this.result(best.cluster, message, tokens, false, changed, [], opts?.params);
    }
    const merged = this.mergeOnCardinality(candidates, tokens);
    if (merged) {
      merged.survivor.count++;
      merged.survivor.lastUsed = this.tick;
      mergeDisplay(merged.survivor, display);
      return this.result(merged.survivor, message, tokens, false, true, merged.mergedIds, opts?.params);
    }
    return this.result(this.createCluster(tokens, display), message, tokens, true, false, [], opts?.params);
  }

  /**
   * The template `add` would put the message in, learning nothing; null when `add` would start a new template or
   * merge templates.
   */
  match(message: string): MineResult | null {
    const tokens = this.tokenize(message);
    const { best } = this.search(tokens);
    return best ? this.result(best.cluster, message, tokens, false, false, []) : null;
  }

  /** The id a template has now: the id itself, or that of the template it was merged into. */
  resolveId(id: string): string {
    let current = id;
    for (let next = this.aliases.get(current); next !== undefined; next = this.aliases.get(current))
      current = next;
    return current;
  }

  /** The live template an id (its own or a merged one's) belongs to now, with its current text; null if unknown. */
  templateOf(id: string): { id: string; template: string } | null {
    const live = this.resolveId(id);
    const c = this.clusters.find((x) => x.id === live);
    return c ? { id: c.id, template: templateText(c) } : null;
  }

  /** Live templates in creation order. */
  templates(): MinedTemplate[] {
    const merged = new Map<string, string[]>();
    for (const from of this.aliases.keys()) {
      const to = this.resolveId(from);
      merged.set(to, [...(merged.get(to) ?? []), from]);
    }
    return this.clusters.map((c) => ({
      id: c.id,
      template: templateText(c),
      count: c.count,
      tokens: [...c.tokens],
      mergedIds: merged.get(c.id) ?? [],
    }));
  }

  /**
   * The masked tokens the miner compares: whitespace-separated, each run of adjacent value tokens (masked values
   * and punctuation only) collapsed into one `<*>`.
   */
  tokenize(message: string): string[] {
    return this.tokenizeForDisplay(message).tokens;
  }

  /** {@link tokenize}, plus each token as people read it (see {@link Cluster.display}). */
  private tokenizeForDisplay(message: string): { tokens: string[]; display: string[] } {
    const tokens: string[] = [];
    const display: string[] = [];
    for (const shown of maskVariables(message, this.opts.maskRules, true).split(/\s+/)) {
      if (shown.length === 0) continue;
      // a value shown with words (`<*>␟bytes`) is one value to compare, shown with its words
      const token = shown.includes(SHOWN_JOIN) ? shown.replace(SHOWN_WORDS, '') : shown;
      const read = shown.includes(SHOWN_JOIN) ? shown.split(SHOWN_JOIN).join(' ') : shown;
      if (!isValueToken(token)) {
        tokens.push(token);
        display.push(displayWord(read));
      } else if (tokens[tokens.length - 1] !== WILDCARD) {
        tokens.push(WILDCARD);
        display.push(collapseAdjacent(read));
      } else display[display.length - 1] += ` ${collapseAdjacent(read)}`;
    }
    return { tokens, display };
  }

  toJSON(): TemplateMinerState {
    const { depth, similarityThreshold, maxChildren, wordCardinality, maskRules } = this.opts;
    const save = (node: TreeNode): TreeState => ({
      clusters: node.clusters.map((c) => c.id),
      children: [...node.children].map(([key, child]) => [key, save(child)]),
    });
    return {
      version: 1,
      options: {
        depth,
        similarityThreshold,
        maxChildren,
        wordCardinality,
        maskRules: maskRules.map((r) => ({ name: r.name, source: r.pattern.source, flags: r.pattern.flags })),
      },
      templates: this.clusters.map((c) => ({ id: c.id, tokens: [...c.tokens], count: c.count, display: [...c.display] })),
      tree: save(this.root),
      aliases: Object.fromEntries(this.aliases),
    };
  }

  /** `limits`: caps that are not part of the saved state (maxClusters). */
  static fromJSON(state: TemplateMinerState, limits: { maxClusters?: number } = {}): TemplateMiner {
    if (state.version !== 1)
      throw new RangeError(`unsupported template miner state version ${String(state.version)}`);
    const { maskRules, ...options } = state.options;
    const miner = new TemplateMiner({
      ...options,
      ...(limits.maxClusters !== undefined ? { maxClusters: limits.maxClusters } : {}),
      // a default rule restored as itself, so its way of showing values comes back with it
      maskRules: maskRules.map((r) => DEFAULT_MASK_RULES.find((d) => d.name === r.name && d.pattern.source === r.source && d.pattern.flags === r.flags) ?? { name: r.name, pattern: new RegExp(r.source, r.flags) }),
    });
    const byId = new Map<string, Cluster>();
    for (const t of state.templates) {
      if (byId.has(t.id)) throw new RangeError(`duplicate template id ${t.id}`);
      const cluster: Cluster = {
        id: t.id,
        tokens: [...t.tokens],
        display: t.display && t.display.length === t.tokens.length ? [...t.display] : [...t.tokens],
        count: t.count,
        seq: miner.seq,
        lastUsed: miner.seq++,
        leaf: miner.root,
      };
      byId.set(t.id, cluster);
      miner.clusters.push(cluster);
      miner.lengthList(cluster.tokens.length).push(cluster);
      miner.ids.add(t.id);
    }
    const load = (node: TreeNode, saved: TreeState): void => {
      for (const id of saved.clusters) {
        const cluster = byId.get(id);
        if (!cluster || cluster.leaf !== miner.root)
          throw new RangeError(`tree lists unknown or repeated template ${id}`);
        cluster.leaf = node;
        node.clusters.push(cluster);
      }
      for (const [key, child] of saved.children) {
        const next = newNode();
        node.children.set(key, next);
        load(next, child);
      }
    };
    load(miner.root, state.tree);
    const unplaced = miner.clusters.find((c) => c.leaf === miner.root);
    if (unplaced) throw new RangeError(`template ${unplaced.id} is in no leaf of the tree`);
    for (const [from, to] of Object.entries(state.aliases)) {
      miner.aliases.set(from, to);
      miner.ids.add(from);
    }
    // restored templates count as used in their creation order, before anything mined from now on
    miner.tick = miner.seq;
    return miner;
  }

  private lengthList(length: number): Cluster[] {
    let list = this.byLength.get(length);
    if (!list) this.byLength.set(length, (list = []));
    return list;
  }

  private prefixLength(tokens: readonly string[]): number {
    return Math.min(this.opts.depth - 3, tokens.length);
  }

  private leafFor(tokens: string[]): TreeNode | null {
    let node = this.root.children.get(String(tokens.length));
    for (let i = 0; node && i < this.prefixLength(tokens); i++) {
      node = node.children.get(tokens[i]) ?? node.children.get(WILDCARD);
    }
    return node ?? null;
  }

  /**
   * The best match in the leaf the tree leads to, else the best among all templates with as many tokens at a
   * stricter threshold; `candidates` are every template compared, oldest first.
   */
  private search(tokens: string[]): { best: Candidate | null; candidates: Candidate[] } {
    const leaf = this.leafFor(tokens);
    const local = leaf ? leaf.clusters.map((c) => this.compare(c, tokens)) : [];
    const best = this.best(local, this.opts.similarityThreshold);
    if (best) return { best, candidates: local };
    const others = (this.byLength.get(tokens.length) ?? [])
      .filter((c) => c.leaf !== leaf)
      .map((c) => this.compare(c, tokens));
    // the tree's leading-token split is Drain's strongest signal: overruling it takes more agreement
    const strict = (1 + this.opts.similarityThreshold) / 2;
    return {
      best: this.best(others, strict),
      candidates: [...local, ...others].sort((a, b) => a.cluster.seq - b.cluster.seq),
    };
  }

  private compare(cluster: Cluster, tokens: string[]): Candidate {
    let same = 0;
    let params = 0;
    const wordClashes: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = cluster.tokens[i];
      if (t === WILDCARD) params++;
      else if (t === tokens[i]) same++;
      else if (WORD.test(t) && WORD.test(tokens[i])) wordClashes.push(i);
    }
    const constants = tokens.length - params;
    // a template of wildcards only would otherwise swallow every line of its length
    const sim = constants > 0 ? same / constants : tokens.every((t) => t === WILDCARD) ? 1 : 0;
    return { cluster, sim, params, wordClashes };
  }

  private best(candidates: Candidate[], threshold: number): Candidate | null {
    let best: Candidate | null = null;
    for (const c of candidates) {
      if (c.wordClashes.length > 0 || c.sim < threshold) continue;
      if (!best || c.sim > best.sim || (c.sim === best.sim && c.params > best.params)) best = c;
    }
    return best;
  }

  /** Generalises the template to cover the tokens; moves it in the tree when a leading token became `<*>`. */
  private absorb(cluster: Cluster, tokens: readonly string[]): boolean {
    const leading = cluster.tokens.slice(0, this.prefixLength(tokens));
    if (!generalize(cluster.tokens, tokens)) return false;
    cluster.paramPattern = undefined;
    if (leading.some((t, i) => t !== cluster.tokens[i])) {
      this.unplace(cluster);
      this.place(cluster);
    }
    return true;
  }

  /**
   * For a line that differs from some templates of its length only by the word at one position (not the first)
   * and is otherwise similar enough to them: once that position has shown `wordCardinality` distinct words, it
   * becomes `<*>` in the oldest of those templates, which absorbs the others and the line.
   */
  private mergeOnCardinality(
    candidates: Candidate[],
    tokens: string[],
  ): { survivor: Cluster; mergedIds: string[] } | null {
    const positions = new Set(
      candidates
        .filter((c) => c.wordClashes.length === 1 && c.wordClashes[0] > 0)
        .map((c) => c.wordClashes[0]),
    );
    for (const p of positions) {
      const alike = candidates.filter((c) => {
        if (c.wordClashes.length !== 1 || c.wordClashes[0] !== p) return false;
        // similarity leaving out position p, the one being decided; at least one other constant must agree
        const others = tokens.length - c.params - 1;
        return others > 0 && (c.sim * (others + 1)) / others >= this.opts.similarityThreshold;
      });
      const words = new Set([tokens[p], ...alike.map((c) => c.cluster.tokens[p])]);
      if (words.size < this.opts.wordCardinality) continue;
      const [survivor, ...absorbed] = alike.map((c) => c.cluster); // candidates come oldest first
      for (const other of absorbed) {
        generalize(survivor.tokens, other.tokens);
        mergeDisplay(survivor, other.display);
        survivor.count += other.count;
        this.aliases.set(other.id, survivor.id);
        this.unplace(other);
      }
      const gone = new Set(absorbed);
      this.clusters = this.clusters.filter((c) => !gone.has(c));
      this.byLength.set(
        tokens.length,
        this.lengthList(tokens.length).filter((c) => !gone.has(c)),
      );
      // the line's own display is merged in by add() right after
      survivor.display[p] = absorbed.reduce((shown, o) => mergeShown(shown, o.display[p]), survivor.display[p]);
      survivor.tokens[p] = WILDCARD;
      generalize(survivor.tokens, tokens);
      survivor.paramPattern = undefined;
      this.unplace(survivor);
      this.place(survivor);
      return { survivor, mergedIds: absorbed.map((c) => c.id) };
    }
    return null;
  }

  /** Live templates, and how many were dropped to stay within maxClusters. */
  stateSize(): { templates: number; aliases: number; evictions: number } {
    return { templates: this.clusters.length, aliases: this.aliases.size, evictions: this.evicted };
  }

  /** Drops the least recently matched template (and the oldest merge aliases past the same cap). */
  private evictLeastRecent(): void {
    let victim = this.clusters[0];
    for (const c of this.clusters) if (c.lastUsed < victim.lastUsed) victim = c;
    this.unplace(victim);
    this.clusters = this.clusters.filter((c) => c !== victim);
    const length = victim.tokens.length;
    const rest = this.lengthList(length).filter((c) => c !== victim);
    if (rest.length > 0) this.byLength.set(length, rest);
    else this.byLength.delete(length);
    // its id may be given again to the same first version of a template (ids are hashes of it)
    this.ids.delete(victim.id);
    this.evicted++;
    const cap = this.opts.maxClusters ?? DEFAULT_MAX_CLUSTERS;
    for (const from of this.aliases.keys()) {
      if (this.aliases.size <= cap) break;
      this.aliases.delete(from);
      this.ids.delete(from);
    }
  }

  private createCluster(tokens: string[], display: string[]): Cluster {
    if (this.clusters.length >= (this.opts.maxClusters ?? DEFAULT_MAX_CLUSTERS)) this.evictLeastRecent();
    const cluster: Cluster = {
      id: this.newId(tokens),
      tokens: [...tokens],
      display: [...display],
      count: 1,
      seq: this.seq++,
      lastUsed: this.tick,
      leaf: this.root,
    };
    this.place(cluster);
    this.clusters.push(cluster);
    this.lengthList(tokens.length).push(cluster);
    return cluster;
  }

  /** Puts the template in the leaf its tokens lead to, growing the tree as Drain does. */
  private place(cluster: Cluster): void {
    const tokens = cluster.tokens;
    const lengthKey = String(tokens.length);
    let node = this.root.children.get(lengthKey);
    if (!node) this.root.children.set(lengthKey, (node = newNode()));
    for (let i = 0; i < this.prefixLength(tokens); i++) {
      const token = tokens[i];
      let key: string;
      if (node.children.has(token)) key = token;
      else if (token.includes(WILDCARD) || HAS_DIGIT.test(token)) key = WILDCARD;
      else if (node.children.size + (node.children.has(WILDCARD) ? 0 : 1) < this.opts.maxChildren)
        key = token;
      else key = WILDCARD;
      let next = node.children.get(key);
      if (!next) node.children.set(key, (next = newNode()));
      node = next;
    }
    node.clusters.push(cluster);
    cluster.leaf = node;
  }

  private unplace(cluster: Cluster): void {
    cluster.leaf.clusters = cluster.leaf.clusters.filter((c) => c !== cluster);
  }

  /** A short hash of the template's first version, so miners that learn the same lines agree on ids. */
  private newId(tokens: string[]): string {
    const base = fnv1a64(tokens.join(' ')).slice(0, 12);
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}-${n}`;
    this.ids.add(id);
    return id;
  }

  private result(
    c: Cluster,
    message: string,
    tokens: string[],
    isNew: boolean,
    changed: boolean,
    mergedIds: string[],
    withParams = true,
  ): MineResult {
    return {
      templateId: c.id,
      template: templateText(c),
      isNew,
      changed,
      params: withParams ? this.params(c, message, tokens) : [],
      mergedIds,
    };
  }

  private params(c: Cluster, message: string, tokens: string[]): string[] {
    // only a line that fits the template exactly is matched against it
    if (!c.tokens.some((t) => t.includes(WILDCARD))) return [];
    if (c.tokens.some((t, i) => t !== WILDCARD && t !== tokens[i])) return [];
    c.paramPattern ??= new WildcardPattern(c.tokens.join(' '), true);
    return c.paramPattern.params(message) ?? [];
  }
}

/** The cluster's template as it reads ({@link canonicalTemplate}), worked out again only when its display changed. */
function templateText(c: Cluster): string {
  const display = c.display.join(' ');
  if (c.text?.display !== display) c.text = { display, text: canonicalTemplate(display) };
  return c.text.text;
}

/** Where the cluster's display and a line's differ, the display becomes `<*>` (values of other shapes, other words). */
function mergeDisplay(c: Cluster, display: readonly string[]): void {
  for (let i = 0; i < c.display.length; i++) {
    if (c.tokens[i] === WILDCARD) {
      if (c.display[i] !== display[i]) c.display[i] = mergeShown(c.display[i], display[i] ?? WILDCARD);
    } else if (c.display[i] !== displayWord(c.tokens[i])) c.display[i] = WILDCARD;
  }
}

const PUNCT = /[^A-Za-z0-9<*>\s]/;

// what separates the parts of a shown value (`host:port`, `user@host`, `[a, b]`); `.`, `-` and `_` join one part
const VALUE_SEPARATORS = /([\s:/@=,()[\]{}'"#])/;

/**
 * Two different values at one position. Values of one shape (the same separators in the same order: `<*>:<*>` and
 * `github.com:<*>`) keep it, each part that differs a `<*>` (`<*>:<*>`); otherwise `<*>` keeping the punctuation both
 * wrap it in (`[<*>]`, `<*>,`).
 */
function mergeShown(a: string, b: string): string {
  if (a === b) return a;
  const pa = a.split(VALUE_SEPARATORS);
  const pb = b.split(VALUE_SEPARATORS);
  if (pa.length > 1 && pa.length === pb.length && pa.every((x, i) => i % 2 === 0 || x === pb[i])) {
    return collapseAdjacent(pa.map((x, i) => (i % 2 === 1 || x === pb[i] ? x : WILDCARD)).join(''));
  }
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p] && PUNCT.test(a[p])) p++;
  let q = 0;
  while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q] && PUNCT.test(a[a.length - 1 - q])) q++;
  return `${a.slice(0, p)}${WILDCARD}${a.slice(a.length - q)}`;
}

// a run of letters/digits joined by `_ - .` with a masked value inside (`rdd_<*>_<*>`, `msra-sa-<*>`,
// `attempt_<*>_<*>_m_<*>_<*>`): an identifier that varies, shown as one value. Starts only where such a run starts.
const GLUED_VALUE = /(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]*<\*>[A-Za-z0-9_.<>*-]*/g;
const HAS_ALNUM = /[A-Za-z0-9]/;

/** A word token as shown: identifiers with a masked value inside become one `<*>`. */
function displayWord(token: string): string {
  if (!token.includes(WILDCARD)) return token;
  return collapseAdjacent(token.replace(GLUED_VALUE, (m) => (HAS_ALNUM.test(m.split(WILDCARD).join('')) ? WILDCARD : m)));
}

/** `<*><*>` (two values with nothing between them) reads as one value. */
function collapseAdjacent(s: string): string {
  let out = s;
  while (out.includes('<*><*>')) out = out.split('<*><*>').join(WILDCARD);
  return out;
}

/** Turns every position where `template` and `tokens` differ into `<*>`; true if anything changed. */
function generalize(template: string[], tokens: readonly string[]): boolean {
  let changed = false;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== tokens[i] && template[i] !== WILDCARD) {
      template[i] = WILDCARD;
      changed = true;
    }
  }
  return changed;
}

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

/** FNV-1a, 64 bits, over UTF-16 code units, as 16 hex digits. */
function fnv1a64(s: string): string {
  let h = FNV64_OFFSET;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * FNV64_PRIME) & MASK64;
  }
  return h.toString(16).padStart(16, '0');
}
