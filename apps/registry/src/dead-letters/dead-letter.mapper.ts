import type { StoredMsg } from 'nats';
import { DEAD_LETTER_HEADERS, DEAD_LETTER_PREVIEW_CHARS, type DeadLetterDto } from '@loglens/contracts';

const decoder = new TextDecoder('utf-8', { fatal: false });
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** The start of a payload as text: at most `chars` characters, control characters as "·"; never the whole of a large one. */
export function previewOf(data: Uint8Array, chars = DEAD_LETTER_PREVIEW_CHARS): { preview: string; truncated: boolean } {
  // a UTF-8 character is at most 4 bytes: decoding more than this could not add to the preview
  const head = data.subarray(0, chars * 4);
  const text = decoder.decode(head).replace(CONTROL, '·');
  const chars_ = Array.from(text);
  const truncated = chars_.length > chars || head.length < data.length;
  return { preview: chars_.slice(0, chars).join(''), truncated };
}

/** A DEADLETTER stream message as listed: where it came from and why, from the headers deadLetter() set. */
export function toDeadLetterDto(m: Pick<StoredMsg, 'seq' | 'time' | 'header' | 'data' | 'subject'>): DeadLetterDto {
  const h = (name: string): string | null => {
    const v = m.header?.get(name);
    return v ? v : null;
  };
  const num = (name: string): number | null => {
    const v = Number(h(name));
    return h(name) !== null && Number.isSafeInteger(v) && v >= 0 ? v : null;
  };
  const deliveries = num(DEAD_LETTER_HEADERS.deliveries);
  return {
    seq: m.seq,
    at: m.time.toISOString(),
    stream: h(DEAD_LETTER_HEADERS.stream),
    streamSeq: num(DEAD_LETTER_HEADERS.sequence),
    subject: h(DEAD_LETTER_HEADERS.subject),
    consumer: h(DEAD_LETTER_HEADERS.consumer),
    reason: h(DEAD_LETTER_HEADERS.reason) ?? `(no reason recorded; set aside on ${m.subject})`,
    ...(deliveries !== null ? { deliveries } : {}),
    size: m.data.length,
    ...previewOf(m.data),
  };
}
