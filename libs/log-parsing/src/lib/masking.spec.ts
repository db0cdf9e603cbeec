import { DEFAULT_MASK_RULES, maskVariables } from './masking';

describe('maskVariables', () => {
  it.each([
    [
      'numbers, signed and decimal',
      'took 17 tries, offset -12, ratio +3.5',
      'took <*> tries, offset <*>, ratio <*>',
    ],
    ['hex', 'addr 0x7ffe1a2b flags 0X1F id a64f992 mask ffffffff', 'addr <*> flags <*> id <*> mask <*>'],
    ['IPv4 with and without port (a port is a value of its own)', 'from 10.250.19.102:54106 to /10.0.0.1.', 'from <*>:<*> to /<*>.'],
    [
      'IPv6, compressed, full and bracketed with port',
      'peer fe80::1ff:fe23:4567:890a via 2001:0db8:85a3:0000:0000:8a2e:0370:7334 at [2001:db8::1]:8443',
      'peer <*> via <*> at [<*>]:<*>',
    ],
    ['MAC addresses', 'sta 00:1a:2b:3c:4d:5e bssid 00-1A-2B-3C-4D-5E', 'sta <*> bssid <*>'],
    [
      'Unix, relative and Windows paths',
      'open /var/log/syslog.1 ../conf/app.yml C:\\Windows\\winsxs\\cbscore.dll',
      'open <*> <*> <*>',
    ],
    ['UUIDs', '[instance: 70c1714b-c11b-4c88-b300-239afe1f5ff8] spawned', '[instance: <*>] spawned'],
    ['ISO timestamps', 'at 2016-09-28T04:30:30.123Z and 2016-09-28 04:30:30,123', 'at <*> and <*>'],
    ['dates and times', 'on 17/06/09 20:10:40 or 2005.06.03 at 15:42:50.675', 'on <*> <*> or <*> at <*>'],
    ['syslog and ctime dates', 'at Sat Jun 18 02:08:10 2005 and Jun 14 15:16:01', 'at <*> and <*>'],
    ['HDFS block ids', 'Deleting block blk_-6952295868487656571 and blk_123', 'Deleting block <*> and <*>'],
    ['URLs', 'GET https://example.com/a/b?c=1&d=2 done', 'GET <*> done'],
    ['emails', 'mail to bob.smith+ops@example.org sent', 'mail to <*> sent'],
    [
      'key=value values',
      'lock=9a2c flags=0x1 size=12KB tag="View Lock"',
      'lock=<*> flags=<*> size=<*> tag="<*>"',
    ],
    [
      'quantities with units',
      'sent 1190 bytes (1.16 KB) in 250ms, <1 sec, 42%',
      'sent <*> (<*>) in <*>, <*>, <*>',
    ],
    ['versions', 'Loaded stack v6.1.7601.23505', 'Loaded stack <*>'],
  ])('masks %s', (_name, line, expected) => {
    expect(maskVariables(line)).toBe(expected);
  });

  it('keeps words that merely contain a digit or sit next to a number', () => {
    expect(maskVariables('eth0 SOCKS5 jk2_init() HTTP/1.1 IPv6 Foo::bar part-00001')).toBe(
      'eth0 SOCKS5 jk2_init() HTTP/<*> IPv6 Foo::bar part-<*>',
    );
  });

  it('takes only whole month and weekday names for dates', () => {
    expect(maskVariables('Marked 3 items, Decrease 5, on Monday, March 3, 2024 10:00')).toBe(
      'Marked <*> items, Decrease <*>, on <*>',
    );
  });

  it('keeps a plain-word value of a key: it names the event rather than carrying data', () => {
    expect(maskVariables('user=root state=enabled uid=0')).toBe('user=root state=enabled uid=<*>');
  });

  it('masks the numbers inside an identifier but keeps its name', () => {
    expect(maskVariables('appattempt_1445144423722_0020_000001 core.114')).toBe(
      'appattempt_<*>_<*>_<*> core.<*>',
    );
  });

  it('is one generic rule set, applied most specific first', () => {
    const names = DEFAULT_MASK_RULES.map((r) => r.name);
    expect(names.indexOf('ipv4')).toBeLessThan(names.indexOf('number'));
    expect(names.indexOf('quantity')).toBeLessThan(names.indexOf('number'));
    expect(DEFAULT_MASK_RULES.every((r) => r.pattern.global)).toBe(true);
  });
});
