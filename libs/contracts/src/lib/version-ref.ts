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
