// Masking of variable values before the template search. One generic rule set for every log source: the rules
// recognise value *shapes* (numbers, addresses, ids, times, paths …), never a particular system's messages.

/** The placeholder a masked value (and a merged template position) becomes; Loghub's convention. */
export const WILDCARD = '<*>';

export interface MaskRule {
  /** What the rule recognises, for humans and tests. */
  name: string;
  /** Global regular expression; every match becomes {@link WILDCARD}. */
  pattern: RegExp;
  /**
   * How a match reads in a template, when that is more than {@link WILDCARD} (Loghub-2.0's conventions: units stay
   * words, `04:30:30` is `<*>:<*>:<*>`). Words inside are joined to the value by {@link SHOWN_JOIN}, so the match
   * stays one value for the template search.
   */
  shown?: (match: string) => string;
  /**
   * A text the rule cannot match unless this (non-global) pattern is in it — a character every match holds, such as
   * `@` for e-mail addresses: a line without it skips the rule, whose own scan costs far more than this test. Only a
   * condition every match meets may be given, so the masked text is the same with or without it.
   */
  needs?: RegExp;
}

/** Joins the words of a shown value (`<*>␟bytes`): the miner compares it as one value and shows it with a space. */
export const SHOWN_JOIN = '\u001f';

// A value starts and ends where no letter or digit touches it, so `eth0`, `SOCKS5` or `jk2_init` stay words while
// `part-00001`, `appattempt_1445_0020` and `size:42` give up their numbers.
const START = String.raw`(?<![A-Za-z0-9])`;
const END = String.raw`(?![A-Za-z0-9])`;
const HEX = '[0-9A-Fa-f]';
// whole names only, so `Marked 3 items` or `Decrease 5` are not dates
const MONTH = String.raw`(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)`;
const WEEKDAY = String.raw`(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)`;

function rule(name: string, source: string, needs: RegExp | null, shown?: (match: string) => string): MaskRule {
  const r: MaskRule = { name, pattern: new RegExp(source, 'g') };
  if (shown) r.shown = shown;
  if (needs) r.needs = needs;
  return r;
}

/** Each run of digits (decimals included) a value of its own, the separators kept: `04:30:30.123` → `<*>:<*>:<*>`. */
const perNumber = (m: string): string => m.replace(/\d+(?:[.,]\d+)*/g, WILDCARD);
/** The number a value, the unit a word: `1.16 KB` → `<*> KB`; `250ms` → `<*>` (a unit glued to its number is one value). */
const numberAndUnit = (m: string): string => {
  const u = /^([<>]?=?-?\d+(?:\.\d+)?)\s([A-Za-z%]+)$/.exec(m);
  return u ? `${WILDCARD}${SHOWN_JOIN}${u[2]}` : WILDCARD;
};

/**
 * The default rules, applied in order (earlier, more specific shapes first, so an IP address is not eaten as four
 * numbers). Rules that span whitespace (`2016-09-28 04:30:30`, `1.16 KB`) turn several words into one value.
 */
export const DEFAULT_MASK_RULES: readonly MaskRule[] = [
  // starts only where the scheme's run starts (`\b` would start at every `.` of `a.a.a…` and rescan the run)
  rule('url', String.raw`(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`, /:\/\//),
  rule('email', String.raw`(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`, /@/),
  rule('uuid', `${START}${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}${END}`, /-/),
  rule('mac', String.raw`(?<![\w:-])${HEX}{2}(?:[:-]${HEX}{2}){5}(?![\w:-])`, /[:-]/),
  rule(
    'iso-timestamp',
    String.raw`${START}\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?${END}`,
    /:/,
  ),
  // syslog / ctime style: `Jun 14 15:16:01`, `Sat Jun 18 02:08:10 2005`, `Jul  1 2005`
  rule(
    'month-name-date',
    String.raw`\b(?:${WEEKDAY},?\s+)?${MONTH}\.?\s+\d{1,2}(?:,?\s+\d{4})?(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s+\d{4})?)?${END}`,
    /\d/,
  ),
  // full form, or compressed with `::` and at least one hex group; `[addr]:port` ends up as `[<*>]:<*>`
  rule(
    'ipv6',
    String.raw`(?<![\w:.])(?:(?:${HEX}{1,4}:){7}${HEX}{1,4}|(?=[0-9A-Fa-f:]*${HEX})(?:${HEX}{1,4}(?::${HEX}{1,4}){0,6})?::(?:${HEX}{1,4}(?::${HEX}{1,4}){0,6})?)(?![\w:])`,
    /:/,
  ),
  // a host name with a port: `proxy.cse.cuhk.edu.hk:5070` (three labels or more, so `Class.method:42` stays)
  rule('host-port', String.raw`(?<![\w.-])[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){2,8}(?=:\d{1,5}(?!\d))`, /:\d/),
  // the port, when there is one, is a value of its own: `10.0.0.1:50010` → `<*>:<*>` (Loghub-2.0's convention)
  rule('ipv4', String.raw`(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)`, /\d\.\d/),
  rule('hdfs-block', String.raw`\bblk_-?\d+${END}`, /blk_/),
  rule('date', String.raw`${START}(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})${END}`, /\d[-/.]\d/),
  rule('time', String.raw`${START}\d{1,2}:\d{2}(?::\d{2})?(?:[.,:]\d{1,9})?${END}`, /\d:\d/, perNumber),
  // 0x-prefixed, or a run of hex digits long enough not to be a word: 6+ with a digit, 8+ without (`ffffffff`)
  rule(
    'hex',
    String.raw`${START}(?:0[xX]${HEX}+|(?=${HEX}*[A-Fa-f])(?:(?=${HEX}*\d)${HEX}{6,}|${HEX}{8,}))${END}`,
    null,
  ),
  rule(
    'path',
    String.raw`(?<![\w.:/\\-])(?:[A-Za-z]:|\.{1,2}|~)?(?:[/\\][\w.@%+~$-]+){2,}[/\\]?|(?<![\w.:/\\-])[A-Za-z]:\\[\w.@%+~$\\-]*`,
    /[/\\]/,
  ),
  // a double-quoted value of a key is free text: `tag="View Lock"`
  rule('quoted-value', String.raw`(?<=[A-Za-z_][\w.-]*=")[^"\n]{1,120}(?=")`, /="/),
  // `key=value`: the value is data and the key stays. A value that is a plain word (`state=enabled`, `user=root`)
  // is kept: such values are usually an enumeration that names the event rather than data about it.
  rule(
    'key-value',
    String.raw`(?<=[A-Za-z_][\w.-]*=)(?!<\*>)(?![A-Za-z]+(?:[\s,;&"'\]})]|$))[^\s,;&"'=\]})]+`,
    /=/,
  ),
  // a number with a unit is one value: `1.16 KB`, `<1 sec`, `250ms`, `3 bytes`, `42%`
  rule(
    'quantity',
    String.raw`(?<![\w.])[<>]?=?-?\d+(?:\.\d+)?\s?(?:[KMGTP]i?B|[kKMG]?bytes|B|[mun]?s|secs?|seconds?|mins?|minutes?|hours?|hrs?|days?|%)(?![\w])`,
    /\d/,
    numberAndUnit,
  ),
  // booleans are values (`setLightsOn(true)` and `setLightsOn(false)` are one event)
  rule('boolean', String.raw`(?<![A-Za-z0-9_])(?:true|false|TRUE|FALSE|True|False)(?![A-Za-z0-9_])`, /rue|RUE|alse|ALSE/),
  rule('version', String.raw`(?<![\w.])[vV]\d+(?:\.\d+)+${END}`, /[vV]\d/),
  rule('number', String.raw`${START}[-+]?\d+(?:\.\d+)*${END}`, /\d/),
];

/**
 * Replaces every value the rules recognise with {@link WILDCARD} — or, with `shown`, with the value as a template shows
 * it (see {@link MaskRule.shown}; words inside joined by {@link SHOWN_JOIN}).
 */
export function maskVariables(line: string, rules: readonly MaskRule[] = DEFAULT_MASK_RULES, shown = false): string {
  let out = line;
  for (const r of rules) {
    if (r.needs !== undefined && !r.needs.test(out)) continue;
    out = shown && r.shown ? out.replace(r.pattern, r.shown) : out.replace(r.pattern, WILDCARD);
  }
  return out;
}
