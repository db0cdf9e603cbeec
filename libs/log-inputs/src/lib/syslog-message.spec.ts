import { parseSyslog } from './syslog-message';
import { parseRouting } from './routing';
import { syslogRecord } from './syslog-record';

const DEC_4_2026 = Date.UTC(2026, 11, 4, 12, 0, 0);

describe('parseSyslog', () => {
  it('reads an RFC 5424 message with structured data and a BOM (util-linux logger --rfc5424)', () => {
    const m = parseSyslog('<165>1 2026-12-04T10:00:00.123456+01:00 mymachine.example.com evntslog 1234 ID47 [exampleSDID@32473 iut="3" eventSource="App\\"l] ication"][b x="1"] \uFEFFAn application event', DEC_4_2026);
    expect(m).toEqual({
      format: 'rfc5424',
      facility: 20,
      severity: 'notice',
      timestamp: '2026-12-04T09:00:00.123Z',
      hostname: 'mymachine.example.com',
      appName: 'evntslog',
      procId: '1234',
      msgId: 'ID47',
      structuredData: '[exampleSDID@32473 iut="3" eventSource="App\\"l] ication"][b x="1"]',
      message: 'An application event',
    });
    expect(parseSyslog('<14>1 - - - - - -', DEC_4_2026)).toEqual({ format: 'rfc5424', facility: 1, severity: 'info', message: '' });
  });

  it('reads RFC 3164 with and without hostname, pid, priority and year', () => {
    expect(parseSyslog('<34>Oct 11 22:14:15 mymachine su[230]: \'su root\' failed', DEC_4_2026)).toMatchObject({
      format: 'rfc3164',
      facility: 4,
      severity: 'crit',
      timestamp: '2026-10-11T22:14:15.000Z',
      hostname: 'mymachine',
      appName: 'su',
      procId: '230',
      message: "'su root' failed",
    });
    const local = parseSyslog('<13>Dec  4 11:59:00 sshd[7]: Accepted', DEC_4_2026);
    expect(local).toMatchObject({ appName: 'sshd', procId: '7', message: 'Accepted' });
    expect(local).not.toHaveProperty('hostname');
    expect(parseSyslog('<13>Dec  4 2025 11:59:00 sw1 %LINK-3-UPDOWN: down', DEC_4_2026)).toMatchObject({ timestamp: '2025-12-04T11:59:00.000Z', hostname: 'sw1', appName: '%LINK-3-UPDOWN' });
    expect(parseSyslog('<13>2026-12-04T11:00:00Z host app: iso stamped', DEC_4_2026)).toMatchObject({ timestamp: '2026-12-04T11:00:00.000Z', hostname: 'host', appName: 'app' });
    expect(parseSyslog('just a line', DEC_4_2026)).toEqual({ format: 'unframed', message: 'just a line' });
  });

  it('never dates a yearless line more than a day ahead of now', () => {
    expect(parseSyslog('<13>Jun  3 10:30:01 ap hostapd: x', DEC_4_2026).timestamp).toBe('2026-06-03T10:30:01.000Z');
    expect(parseSyslog('<13>Dec 31 23:59:00 h a: x', Date.UTC(2027, 0, 1, 0, 5)).timestamp).toBe('2026-12-31T23:59:00.000Z');
    expect(parseSyslog('<13>Jan  1 00:00:10 h a: x', Date.UTC(2026, 11, 31, 23, 59)).timestamp).toBe('2027-01-01T00:00:10.000Z');
    expect(parseSyslog('<13>Dec  5 11:00:00 h a: x', DEC_4_2026).timestamp).toBe('2026-12-05T11:00:00.000Z');
    expect(parseSyslog('<13>Dec  6 11:00:00 h a: x', DEC_4_2026).timestamp).toBe('2025-12-06T11:00:00.000Z');
  });

  it('costs linear time on hostile lines', () => {
    const hostile = ['<13>1 ' + '[a '.repeat(100_000), '<13>Dec  4 10:00:00 ' + 'a['.repeat(200_000), '<1>' + ' '.repeat(500_000), '<13>1 - h a - - ' + '[x y="'.repeat(100_000)];
    for (const line of hostile) {
      const t = performance.now();
      parseSyslog(line, DEC_4_2026);
      // 1 ms per KiB is the project's bound for any parser
      expect(performance.now() - t).toBeLessThan(line.length / 1024);
    }
  });
});

describe('syslogRecord', () => {
  const options = { routing: parseRouting('hostapd', 'ap-*'), sourceBy: 'host' as const, maxLineBytes: 64 };

  it('names the source after the hostname, keeps the envelope in fields and the body as the message', () => {
    const { record } = syslogRecord({ bytes: Buffer.from('<30>1 2026-12-04T10:00:00Z web-1.example.com nginx 77 - - GET /\n') }, '10.0.0.9', options);
    expect(record).toEqual({
      message: 'GET /',
      source: 'web-1_example_com',
      agent: 'base',
      timestamp: '2026-12-04T10:00:00.000Z',
      host: 'web-1.example.com',
      fields: { severity: 'info', facility: 3, appName: 'nginx', procId: '77' },
    });
  });

  it('routes hostapd lines to the WiFi agent in the syslog form its parsers read', () => {
    const { record } = syslogRecord({ bytes: Buffer.from('<30>Dec  4 10:00:00 lab hostapd: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: associated') }, 'x', { ...options, maxLineBytes: 1024 }, DEC_4_2026);
    expect(record).toMatchObject({ agent: 'wifi', source: 'lab', message: '2026-12-04T10:00:00.000Z lab hostapd: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: associated' });
  });

  it('truncates long lines with a flag, keeps invalid UTF-8 flagged, and falls back to the peer address', () => {
    const long = syslogRecord({ bytes: Buffer.from(`<13>1 - - app - - - ${'é'.repeat(100)}`) }, '10.0.0.9', options);
    expect(long.truncated).toBe(true);
    expect(Buffer.byteLength(long.record.message)).toBeLessThanOrEqual(64);
    expect(long.record.fields).toMatchObject({ truncated: true, originalBytes: 200 });
    expect(long.record.source).toBe('app');
    const bad = syslogRecord({ bytes: Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0x68, 0xff, 0xfe]) }, '10.0.0.9', options);
    expect(bad).toMatchObject({ invalidUtf8: true, record: { source: '10_0_0_9', fields: { invalidUtf8: true } } });
    expect(syslogRecord({ bytes: Buffer.from('<13>1 - - - - - - hi') }, 'ap-7', options).record.agent).toBe('wifi');
  });
});
