import { LogLensError, TrainParams, validateMessage, type LogRecordInput } from '@loglens/contracts';
import { recordsOfText } from '@loglens/nest-common';

/**
 * A train request as TrainParams: JSON bodies as they are; multipart form fields (all text) converted first —
 * `sources` comma-separated, numbers and booleans from their text — so both end in the same validation.
 */
export function trainParamsOf(body: Record<string, unknown>, multipart: boolean): TrainParams {
  const input: Record<string, unknown> = { ...body };
  if (multipart) {
    for (const [k, v] of Object.entries(input)) if (v === '') delete input[k];
    if (typeof input['sources'] === 'string') input['sources'] = input['sources'].split(',').map((s) => s.trim()).filter(Boolean);
    for (const k of ['windowMs', 'topK']) {
      const v = input[k];
      if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) input[k] = Number(v);
    }
    for (const k of ['deploy', 'bind']) {
      const v = input[k];
      if (v === 'true' || v === '1') input[k] = true;
      else if (v === 'false' || v === '0') input[k] = false;
    }
  }
  const params = validateMessage(TrainParams, input);
  if (params.from && params.to && Date.parse(params.from) >= Date.parse(params.to)) {
    throw new LogLensError('VALIDATION_FAILED', 'invalid request body: to must be after from', ['to: must be after from']);
  }
  return params;
}

/** An uploaded log file as records: NDJSON lines with a "message" become objects, every other non-empty line is a raw line. */
export function recordsOfFile(bytes: Buffer): LogRecordInput[] {
  return recordsOfText(bytes.toString('utf8'));
}
