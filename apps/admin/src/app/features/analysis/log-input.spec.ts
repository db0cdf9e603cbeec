import {
  MAX_ANALYZE_BYTES,
  MAX_ANALYZE_RECORDS,
  checkFileSize,
  formatCount,
  parseLogText,
  readLogFile,
  utf8Length,
} from './log-input';

function ok(text: string) {
  const parsed = parseLogText(text);
  if (!parsed.ok) throw new Error(`expected ok, got: ${parsed.error}`);
  return parsed.input;
}

describe('parseLogText', () => {
  it('makes one raw-line record per line, whatever the line endings', () => {
    expect(ok('a one\nb two\r\nc three\rd four').records).toEqual(['a one', 'b two', 'c three', 'd four']);
  });

  it('skips blank lines but keeps each record’s line number in the original text', () => {
    const input = ok('first\n\n   \nsecond  \n\tindented third\n');
    expect(input.records).toEqual(['first', 'second', '\tindented third']);
    expect(input.lineNumbers).toEqual([1, 4, 5]);
    expect(input.blankLines).toBe(2);
  });

  it('counts the request body as the gateway will see it: a JSON array of strings', () => {
    const input = ok('plain\nwith "quotes" and \\ backslash\nünï');
    expect(input.bodyBytes).toBe(utf8Length(JSON.stringify(input.records)));
  });

  it('refuses text without log lines', () => {
    expect(parseLogText('')).toEqual({ ok: false, error: expect.stringContaining('has no log lines') });
    expect(parseLogText(' \n\n\t\n')).toMatchObject({ ok: false });
  });

  it('takes exactly 10,000 lines and refuses 10,001 with the count and what to do instead', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`).join('\n');
    expect(ok(lines(MAX_ANALYZE_RECORDS)).records).toHaveLength(MAX_ANALYZE_RECORDS);
    const refused = parseLogText(lines(MAX_ANALYZE_RECORDS + 1), 'big.log');
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toContain('big.log has 10,001 log lines; at most 10,000');
    expect(refused.error).toContain('logs.wifi.<site>');
  });

  it('refuses a body over 10 MiB even when the text itself is smaller (escaped quotes grow it)', () => {
    // 5,000 lines of 1,200 quote characters: 6 MB of text, but every quote is escaped to \" in JSON
    const line = '"'.repeat(1200);
    const text = Array.from({ length: 5000 }, () => line).join('\n');
    expect(text.length).toBeLessThan(MAX_ANALYZE_BYTES);
    const refused = parseLogText(text);
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/would make a 11\.\d MiB request.*at most 10\.0 MiB/) });
  });
});

describe('utf8Length', () => {
  it('counts bytes like UTF-8 does', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
  });
});

describe('checkFileSize', () => {
  it('lets files up to 10 MiB through and refuses bigger ones before reading them', () => {
    expect(checkFileSize({ name: 'a.log', size: MAX_ANALYZE_BYTES })).toBeNull();
    expect(checkFileSize({ name: 'huge.log', size: 12 * 1024 * 1024 })).toMatch(
      /^huge\.log is 12\.0 MiB; at most 10\.0 MiB/,
    );
  });
});

describe('readLogFile', () => {
  it('reads a file in the browser and splits it into records', async () => {
    const file = new File(['Jun  3 03:00:01 ap-2f-a hostapd: wlan0: AP-ENABLED\n\nsecond line\n'], 'ap.log');
    expect(await readLogFile(file)).toEqual({
      ok: true,
      input: expect.objectContaining({
        records: ['Jun  3 03:00:01 ap-2f-a hostapd: wlan0: AP-ENABLED', 'second line'],
        lineNumbers: [1, 3],
      }),
    });
  });

  it('names the file in its messages and refuses binary content', async () => {
    expect(await readLogFile(new File(['\n\n'], 'empty.log'))).toEqual({
      ok: false,
      error: expect.stringContaining('empty.log has no log lines'),
    });
    expect(await readLogFile(new File([new Uint8Array([0x7f, 0x45, 0, 0x01])], 'a.out'))).toEqual({
      ok: false,
      error: expect.stringContaining('binary'),
    });
  });
});

describe('formatCount', () => {
  it('separates thousands the same way in every locale', () => {
    expect(formatCount(7)).toBe('7');
    expect(formatCount(10000)).toBe('10,000');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
