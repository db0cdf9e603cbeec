/**
 * The nesting depth of JSON text: one linear pass over the bytes, before anything parses them (a body nested
 * 100,000 deep is parsed by V8 but overflows the stack of whatever walks it next: validation, JSON.stringify on the
 * way to NATS). Strings are skipped, so brackets inside them do not count. With `perLine` (NDJSON) the depth starts
 * again at each newline outside a string; JSON text cannot hold a raw newline inside a string, so this is exact.
 * Stops at the first point deeper than `max` and returns that depth (or the deepest seen when within it).
 */
export function jsonDepth(bytes: Uint8Array, max: number, perLine = false): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (c === 0x7d || c === 0x5d) depth = Math.max(0, depth - 1);
    else if (c === 0x0a && perLine) depth = 0;
  }
  return deepest;
}

/** The error a too-deep body is refused with (body-parser's `verify` hands it on with its status: a 400). */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  constructor(max: number, perLine: boolean) {
    super(`request body is nested deeper than ${max} levels of arrays/objects${perLine ? ' on one line' : ''} (JSON_MAX_DEPTH)`);
  }
}

const JSON_TYPE = /[/+]json\b/i;
const NDJSON_TYPE = /ndjson|jsonl|json-seq/i;

/**
 * A body-parser `verify` hook refusing bodies nested deeper than `max`: for JSON and NDJSON content types only
 * (protobuf, text and form bodies are not JSON; text lines are logs, not structures).
 */
export function verifyJsonDepth(max: number): (req: { headers: Record<string, string | string[] | undefined> }, res: unknown, buf: Buffer) => void {
  return (req, _res, buf) => {
    const type = String(req.headers['content-type'] ?? '');
    const perLine = NDJSON_TYPE.test(type);
    if (!perLine && !JSON_TYPE.test(type)) return;
    if (jsonDepth(buf, max, perLine) > max) throw new JsonTooDeepError(max, perLine);
  };
}
