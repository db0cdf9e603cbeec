import { LogLensError } from './errors';

/** Model names: lower-case, digits, `.`, `_`, `-`; they appear in URLs and NATS subjects. */
export const MODEL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** `name`, `name@3`, `name@latest`, `name@production` */
export const VERSION_REF_PATTERN = /^([a-z0-9][a-z0-9._-]{0,63})(?:@([1-9][0-9]{0,8}|[a-z][a-z0-9_-]{0,31}))?$/;

/** The validator messages for version references and model names, shared by every message class. */
export const REF_MESSAGE = { message: 'ref must look like name, name@<number>, name@latest or name@<alias>' };
export const MODEL_NAME_MESSAGE = { message: 'model must be lower-case letters, digits, ".", "_" or "-" (max 64)' };

export type VersionSelector =
  | { kind: 'serving' }
  | { kind: 'latest' }
  | { kind: 'number'; version: number }
  | { kind: 'alias'; alias: string };

export interface VersionRef {
  model: string;
  selector: VersionSelector;
}

/** Parses a version reference; a bare name means "the serving version". */
export function parseVersionRef(ref: string): VersionRef {
  const m = VERSION_REF_PATTERN.exec(ref);
  if (!m) {
    throw new LogLensError(
      'VALIDATION_FAILED',
      `"${ref}" is not a version reference: use name, name@<number>, name@latest or name@<alias>`,
    );
  }
  const [, model, sel] = m;
  if (sel === undefined) return { model, selector: { kind: 'serving' } };
  if (sel === 'latest') return { model, selector: { kind: 'latest' } };
  if (/^[0-9]+$/.test(sel)) return { model, selector: { kind: 'number', version: Number(sel) } };
  return { model, selector: { kind: 'alias', alias: sel } };
}

export function formatVersionRef(model: string, version: number): string {
  return `${model}@${version}`;
}

/**
 * A precondition on a change (deploy, rollback, alias move): the version the caller believes is current now —
 * `name@N`, a bare `N`, or `none` (nothing serving / no such alias yet).
 */
export const EXPECTED_CURRENT_PATTERN = /^(?:(?:[a-z0-9][a-z0-9._-]{0,63}@)?[1-9][0-9]{0,8}|none)$/;
export const EXPECTED_CURRENT_MESSAGE = { message: 'expectedCurrent must be name@<number>, <number> or "none"' };

/**
 * Throws CONFLICT naming the actual current version when `expected` (see EXPECTED_CURRENT_PATTERN) is given and
 * differs. `what` names the thing in the message: `model "iris"` or `alias iris@production`.
 */
export function checkExpectedCurrent(expected: string | undefined, model: string, actual: number | null, what: string): void {
  if (expected === undefined) return;
  const actualRef = actual === null ? 'none' : formatVersionRef(model, actual);
  let wanted: number | null;
  if (expected === 'none') wanted = null;
  else {
    const at = expected.lastIndexOf('@');
    if (at >= 0 && expected.slice(0, at) !== model) {
      throw new LogLensError('VALIDATION_FAILED', `expectedCurrent ${expected} is not a version of "${model}"`);
    }
    wanted = Number(expected.slice(at + 1));
  }
  if (wanted !== actual) {
    const expectedRef = wanted === null ? 'none' : formatVersionRef(model, wanted);
    throw new LogLensError('CONFLICT', `${what} is at ${actualRef}, not ${expectedRef} (expectedCurrent): it changed since you read it; nothing was done`, [
      `current: ${actualRef}`,
    ]);
  }
}
