import type { TrainAlgorithm } from '@loglens/contracts';
import { SOURCE_NAME_PATTERN } from '@loglens/contracts/protocol';
import type { TrainBody } from '@loglens/client';
import { localToIso } from '../../shared/format';
import { MODEL_NAME_PATTERN, UPLOAD_MAX_BYTES } from '@loglens/contracts/protocol';

/**
 * Mirrors the TrainParams limits in @loglens/contracts (a value import would bundle class-validator); the gateway
 * checks them again and its message is shown when it disagrees.
 */
export const MAX_SOURCES = 32;
/** Mirrors TRAIN_ALGORITHMS, with what each one is for. */
export const ALGORITHMS: ReadonlyArray<{ value: TrainAlgorithm; label: string }> = [
  { value: 'iforest', label: 'Isolation forest with a range guard (default)' },
  { value: 'pca', label: 'PCA reconstruction error' },
];

/** Where a job reads its training lines. */
export type TrainInput = 'stream' | 'file';

/** What the person filled in, as the form holds it (all text, as inputs give it). */
export interface TrainFormValue {
  model: string;
  input: TrainInput;
  /** known sources ticked in the list */
  picked: readonly string[];
  /** sources typed by hand, comma- or space-separated */
  typed: string;
  /** `datetime-local` values (stream only) */
  from: string;
  to: string;
  file: File | null;
  algorithm: TrainAlgorithm | '';
  /** window length in seconds; empty: chosen from the data */
  windowSeconds: string;
  /** templates with a column of their own; empty: chosen from the data */
  topK: string;
  deploy: boolean;
  bind: boolean;
}

export const EMPTY_TRAIN_FORM: TrainFormValue = {
  model: '',
  input: 'stream',
  picked: [],
  typed: '',
  from: '',
  to: '',
  file: null,
  algorithm: '',
  windowSeconds: '',
  topK: '',
  deploy: false,
  bind: false,
};

export type TrainFormErrors = Partial<
  Record<'model' | 'sources' | 'range' | 'file' | 'window' | 'topK', string>
>;

/** A request ready to send, or what is wrong with the form, field by field. */
export type TrainFormCheck =
  | { ok: true; model: string; request: TrainBody; file: File | null }
  | { ok: false; errors: TrainFormErrors };

/** Picked and typed sources, typed ones split on commas and spaces, without duplicates, in the order given. */
export function sourcesOf(value: Pick<TrainFormValue, 'picked' | 'typed'>): string[] {
  const typed = value.typed.split(/[\s,]+/).filter(Boolean);
  return [...new Set([...value.picked, ...typed])];
}

function checkSources(sources: string[]): string | undefined {
  if (sources.length === 0) return 'Pick or type at least one source.';
  const bad = sources.filter((s) => !SOURCE_NAME_PATTERN.test(s));
  if (bad.length) return `Not a source name: ${bad.join(', ')} (1-64 letters, digits, "_" or "-").`;
  if (sources.length > MAX_SOURCES) return `At most ${MAX_SOURCES} sources per model.`;
  return undefined;
}

/** A whole number in [min, max] from a text field; undefined when empty, NaN when not such a number. */
function intField(text: string, min: number, max: number): number | undefined {
  if (!text.trim()) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : NaN;
}

/** Checks the form the way the gateway will, and builds the request (only the fields that were filled in). */
export function checkTrainForm(v: TrainFormValue): TrainFormCheck {
  const errors: TrainFormErrors = {};
  const model = v.model.trim();
  if (!model) errors.model = 'Name the model to train (a new name creates it).';
  else if (!MODEL_NAME_PATTERN.test(model))
    errors.model = 'Lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (max 64).';

  const sources = sourcesOf(v);
  const sourceError = checkSources(sources);
  if (sourceError) errors.sources = sourceError;

  const from = v.input === 'stream' ? localToIso(v.from) : undefined;
  const to = v.input === 'stream' ? localToIso(v.to) : undefined;
  if (from && to && Date.parse(from) >= Date.parse(to)) errors.range = 'The end must be after the start.';

  if (v.input === 'file') {
    if (!v.file) errors.file = 'Choose or drop a log file to learn from.';
    else if (v.file.size === 0) errors.file = `${v.file.name} is empty.`;
    else if (v.file.size > UPLOAD_MAX_BYTES)
      errors.file = `${v.file.name} is larger than the 100 MiB upload limit.`;
  }

  const windowSeconds = intField(v.windowSeconds, 1, 86_400);
  if (Number.isNaN(windowSeconds)) errors.window = 'A whole number of seconds from 1 to 86400 (a day).';
  const topK = intField(v.topK, 1, 1000);
  if (Number.isNaN(topK)) errors.topK = 'A whole number from 1 to 1000.';

  if (Object.keys(errors).length) return { ok: false, errors };
  const request: TrainBody = {
    sources,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(v.algorithm ? { algorithm: v.algorithm } : {}),
    ...(windowSeconds !== undefined ? { windowMs: windowSeconds * 1000 } : {}),
    ...(topK !== undefined ? { topK } : {}),
    ...(v.deploy ? { deploy: true } : {}),
    // binding follows the deploy: a source bound to a model that serves nothing would fall back to the default
    ...(v.deploy && v.bind ? { bind: true } : {}),
  };
  return { ok: true, model, request, file: v.input === 'file' ? v.file : null };
}

/**
 * Sources the console knows of: the bound ones and the ones with stored windows, sorted, each once. A person may
 * still type any other (a source whose logs reached the stream but were never analysed yet).
 */
export function knownSources(
  bound: ReadonlyArray<{ source: string }>,
  windows: ReadonlyArray<{ source: string }>,
): string[] {
  return [...new Set([...bound.map((b) => b.source), ...windows.map((w) => w.source)])]
    .filter((s) => SOURCE_NAME_PATTERN.test(s))
    .sort((a, b) => a.localeCompare(b));
}

/** The hint under the model name: what training under that name does. */
export function modelHint(name: string, models: readonly string[]): string {
  if (!name) return 'An existing model gets a new version; a new name creates the model.';
  return models.includes(name) ? `A new version of ${name}.` : `Creates the model ${name}.`;
}

/** The hint under the sources: which ones training takes, or how to name them. */
export function sourcesHint(value: Pick<TrainFormValue, 'picked' | 'typed' | 'input'>): string {
  const all = sourcesOf(value);
  if (all.length) return `Training on ${all.join(', ')}.`;
  return value.input === 'file'
    ? 'The name the file’s lines belong to (logs.generic.<source>): the one to bind the model to.'
    : 'Comma-separated, e.g. myapp, billing-api (logs.generic.<source> / logs.wifi.<site>).';
}

/** The ticked sources with `source` ticked (last) or unticked. */
export function withSource(picked: readonly string[], source: string, on: boolean): string[] {
  const others = picked.filter((s) => s !== source);
  return on ? [...others, source] : others;
}
