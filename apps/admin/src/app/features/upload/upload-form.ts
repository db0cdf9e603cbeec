import { MODEL_NAME_PATTERN, UPLOAD_MAX_BYTES } from '@loglens/contracts/protocol';

export type MetadataCheck = { ok: true; text: string; keys: string[] } | { ok: false; error: string };

/** Checks the metadata JSON before the upload, so a typo is not found after sending 50 MB. Empty is fine. */
export function checkMetadata(text: string): MetadataCheck {
  if (!text.trim()) return { ok: true, text: '', keys: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'Metadata must be a JSON object, e.g. {"threshold": 0.5}.' };
  }
  return { ok: true, text, keys: Object.keys(value) };
}

export function checkModelName(name: string): string | null {
  if (!name) return 'Name the model the version belongs to.';
  if (!MODEL_NAME_PATTERN.test(name))
    return 'Lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (max 64).';
  return null;
}

export function checkModelFile(file: File | null): string | null {
  if (!file) return 'Choose or drop the ONNX model file.';
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > UPLOAD_MAX_BYTES) return `${file.name} is larger than the 100 MiB upload limit.`;
  return null;
}
