// How a template reads: Loghub-2.0's template conventions (Jiang et al., "A Large-scale Evaluation for Log Parsing
// Techniques: How Far Are We?", ISSTA 2024; the rules of Khan et al., ICSE 2022, that corrected Loghub's labels),
// applied to every template the miner shows, so templates read the same whichever log they came from and compare
// with the corrected benchmark labels text for text. Display only: which lines share a template is decided before.
import { WILDCARD } from './masking';

// path-like values are found between these; the other rules split on these and `. - + @ # $ % &` too
const PATH_DELIMITERS = /([\s,!;:=|"'[\](){}])/;
const TOKEN_DELIMITERS = /([\s,!;:=|"'[\](){}.\-+@#$%&])/;
const DIGITS = /^\d+$/;
// user strings and booleans that Loghub-2.0 counts as values wherever they stand (`user root`, `enabled=true`)
const VALUE_WORDS = new Set(['true', 'false', 'null', 'root', 'admin']);

/**
 * The template as Loghub-2.0 writes it: a path-like token (`/a/b`, `/10.0.0.1`) is a value (PS); `true`, `false`,
 * `null`, `root`, `admin` are values (BL, US); a token of digits is a value (DG); a word glued to a value is one value
 * (`blk_<*>`, `{<*>` → `<*>`; WV); values joined by `.` or by nothing are one value (DV, CV). Linear in the length.
 */
export function canonicalTemplate(template: string): string {
  let t = template.trim().replace(/\s+/g, ' ');
  t = t.split(PATH_DELIMITERS).map((p) => (isPathLike(p) ? WILDCARD : p)).join('');
  t = t
    .split(TOKEN_DELIMITERS)
    .map((token) => {
      if (VALUE_WORDS.has(token.toLowerCase()) || DIGITS.test(token)) return WILDCARD;
      if (token !== WILDCARD && token.includes(WILDCARD) && !/[\s/]/.test(token)) return WILDCARD;
      return token;
    })
    .join('');
  t = replaceAll(t, `${WILDCARD}.${WILDCARD}`, WILDCARD);
  return replaceAll(t, `${WILDCARD}${WILDCARD}`, WILDCARD);
}

/** `/a`, `/a/b/c`: a slash, then segments that are not empty, each after a slash (`^(/[^/]+)+$`, without the regex). */
function isPathLike(p: string): boolean {
  return p.length > 1 && p[0] === '/' && !p.endsWith('/') && !p.includes('//');
}

/** Replaces until nothing is left to replace (`<*>.<*>.<*>` → `<*>`); each pass shortens the text. */
function replaceAll(text: string, from: string, to: string): string {
  let out = text;
  while (out.includes(from)) out = out.split(from).join(to);
  return out;
}
