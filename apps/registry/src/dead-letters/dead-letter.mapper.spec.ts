import { headers } from 'nats';
import { DEAD_LETTER_HEADERS, DEAD_LETTER_PREVIEW_CHARS } from '@loglens/contracts';
import { previewOf, toDeadLetterDto } from './dead-letter.mapper';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('dead letter listing', () => {
  it('reads where a message came from, who gave up on it and why from its headers', () => {
    const h = headers();
    h.set(DEAD_LETTER_HEADERS.reason, '"id" is longer than 64 characters');
    h.set(DEAD_LETTER_HEADERS.stream, 'loglens-ANALYSIS');
    h.set(DEAD_LETTER_HEADERS.sequence, '42');
    h.set(DEAD_LETTER_HEADERS.subject, 'loglens.analysis.results.web');
    h.set(DEAD_LETTER_HEADERS.consumer, 'loglens-registry-results');
    h.set(DEAD_LETTER_HEADERS.deliveries, '1');
    const dto = toDeadLetterDto({ seq: 7, time: new Date('2026-12-05T08:00:00Z'), header: h, data: bytes('{"id":"x"}'), subject: 'loglens.deadletter.analysis.v1' });
    expect(dto).toEqual({
      seq: 7,
      at: '2026-12-05T08:00:00.000Z',
      stream: 'loglens-ANALYSIS',
      streamSeq: 42,
      subject: 'loglens.analysis.results.web',
      consumer: 'loglens-registry-results',
      reason: '"id" is longer than 64 characters',
      deliveries: 1,
      size: 10,
      preview: '{"id":"x"}',
      truncated: false,
    });
  });

  it('lists a message set aside before consumers were recorded, with nulls instead of guesses', () => {
    const h = headers();
    h.set(DEAD_LETTER_HEADERS.reason, 'not JSON');
    const dto = toDeadLetterDto({ seq: 1, time: new Date(0), header: h, data: bytes('{'), subject: 'loglens.deadletter.analysis.v1' });
    expect(dto).toMatchObject({ consumer: null, stream: null, streamSeq: null, subject: null, reason: 'not JSON' });
    expect(dto).not.toHaveProperty('deliveries');
  });

  it('previews only the start of a large payload, never the whole of it', () => {
    const big = new Uint8Array(5 * 1024 * 1024).fill(0x61);
    const { preview, truncated } = previewOf(big);
    expect(preview).toHaveLength(DEAD_LETTER_PREVIEW_CHARS);
    expect(truncated).toBe(true);
    expect(toDeadLetterDto({ seq: 2, time: new Date(0), header: headers(), data: big, subject: 's' })).toMatchObject({ size: 5 * 1024 * 1024, truncated: true });
  });

  it('shows control characters and bytes that are not UTF-8 as printable text', () => {
    const { preview, truncated } = previewOf(new Uint8Array([0x6f, 0x6b, 0x00, 0x1b, 0xff, 0x0a]));
    expect(preview).toBe('ok··\uFFFD\n');
    expect(truncated).toBe(false);
  });
});
