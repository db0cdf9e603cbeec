import { bulkToRecords } from './bulk';
import { IngestError } from './errors';
import { parseRouting } from './routing';

const options = { routing: parseRouting('hostapd', 'ap-*'), maxLineBytes: 64 * 1024, source: 'billing batch' };

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof IngestError) return e.toJSON();
    throw e;
  }
  throw new Error('not refused');
}

describe('bulkToRecords', () => {
  it('reads NDJSON objects and strings, with the record source winning over ?source=', () => {
    const body = '{"message":"a","timestamp":1764842400,"level":"warn","ctx":{"id":1}}\r\n\n"plain line"\n{"message":"b","source":"ap-3","host":"h"}\n';
    expect(bulkToRecords(Buffer.from(body), 'application/x-ndjson', options).records).toEqual([
      { message: 'a', source: 'billing_batch', agent: 'base', timestamp: '2025-12-04T10:00:00.000Z', fields: { level: 'warn', ctx: '{"id":1}' } },
      { message: 'plain line', source: 'billing_batch', agent: 'base' },
      { message: 'b', source: 'ap-3', agent: 'wifi', host: 'h' },
    ]);
    expect(bulkToRecords(Buffer.from('[{"message":"a"},"b"]'), 'application/json', options).records.map((r) => r.message)).toEqual(['a', 'b']);
  });

  it('takes text/plain lines verbatim and guesses per line for any other type (curl --data-binary)', () => {
    expect(bulkToRecords(Buffer.from('{"message":"x"}\nGET /'), 'text/plain', options).records.map((r) => r.message)).toEqual(['{"message":"x"}', 'GET /']);
    expect(bulkToRecords(Buffer.from('{"message":"x"}\n{not json\nGET /'), 'application/x-www-form-urlencoded', options).records.map((r) => r.message)).toEqual(['x', '{not json', 'GET /']);
  });

  it('refuses a bad line naming it, before anything is published', () => {
    expect(refusal(() => bulkToRecords(Buffer.from('{"message":"a"}\n{oops'), 'application/x-ndjson', options))).toMatchObject({ code: 'INVALID_BODY', message: expect.stringMatching(/^line 2: not JSON/) });
    expect(refusal(() => bulkToRecords(Buffer.from('{"msg":"a"}'), 'application/x-ndjson', options))).toMatchObject({ message: 'line 1: the object has no "message" string' });
    expect(refusal(() => bulkToRecords(Buffer.from('{"message":"a","timestamp":"soon"}'), 'application/x-ndjson', options)).code).toBe('INVALID_BODY');
    expect(refusal(() => bulkToRecords(Buffer.concat([Buffer.from('ok\n'), Buffer.from([0xc3, 0x28])]), 'text/plain', options))).toMatchObject({ code: 'INVALID_UTF8', message: expect.stringMatching(/^line 2 /) });
  });

  it('refuses more records than one request may carry, before publishing any', () => {
    expect(refusal(() => bulkToRecords(Buffer.from('a\n'.repeat(100_001)), 'text/plain', options))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(bulkToRecords(Buffer.from('a\n'.repeat(100_000)), 'text/plain', options).records).toHaveLength(100_000);
  });

  it('truncates a 1 MiB line to the cap with a flag', () => {
    const { records, truncated } = bulkToRecords(Buffer.from(`${'z'.repeat(1024 * 1024)}\nshort`), 'text/plain', options);
    expect(truncated).toBe(1);
    expect(records[0].message).toHaveLength(64 * 1024);
    expect(records[0].fields).toEqual({ truncated: true, originalBytes: 1024 * 1024 });
    expect(records[1]).toEqual({ message: 'short', source: 'billing_batch', agent: 'base' });
  });
});
