import { WifiLogParser } from './wifi-log-parser';

const deauth = (stamp: string) => `${stamp} ap-1 hostapd: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: deauthenticated due to inactivity`;
const telemetry = (iso: string) => JSON.stringify({ ts: iso, bssid: '02:aa:00:00:00:01', rssi: -60 });

/** Syslog stamps (`Jun 14 15:16:01`) carry no year: the parser places them next to what it knows of the time. */
describe('WifiLogParser: the year of yearless syslog times', () => {
  it('takes the year of the dated records around them (a 2024 capture stays in 2024)', () => {
    const p = new WifiLogParser({ now: () => Date.UTC(2026, 10, 26) });
    expect(p.parse(telemetry('2024-06-14T15:16:00Z')).time).toBe(Date.UTC(2024, 5, 14, 15, 16, 0));
    expect(p.parse(deauth('Jun 14 15:16:01')).time).toBe(Date.UTC(2024, 5, 14, 15, 16, 1));
  });

  it('puts a line from late December read in early January in the old year, and the reverse', () => {
    const january = new WifiLogParser({ now: () => Date.UTC(2027, 0, 1, 0, 5) });
    expect(january.parse(deauth('Dec 31 23:59:58')).time).toBe(Date.UTC(2026, 11, 31, 23, 59, 58));
    const december = new WifiLogParser({ now: () => Date.UTC(2026, 11, 31, 23, 59) });
    expect(december.parse(deauth('Jan  1 00:00:30')).time).toBe(Date.UTC(2027, 0, 1, 0, 0, 30));
  });

  it('follows a dated stream across New Year', () => {
    const p = new WifiLogParser({ now: () => Date.UTC(2030, 5, 1) });
    p.parse('1703980795.000000: wlan0: AP-ENABLED'); // 2023-12-30T23:59:55Z, an epoch stamp
    expect(p.parse(deauth('Dec 30 23:59:59')).time).toBe(Date.UTC(2023, 11, 30, 23, 59, 59));
    p.parse(telemetry('2024-01-01T00:00:10Z'));
    expect(p.parse(deauth('Jan  1 00:00:20')).time).toBe(Date.UTC(2024, 0, 1, 0, 0, 20));
  });

  it('reads Cisco WLC stamps the same way', () => {
    const p = new WifiLogParser({ now: () => Date.UTC(2026, 10, 26) });
    p.parse(telemetry('2024-03-10T11:59:00Z'));
    const e = p.parse('<134>Mar 10 12:00:00 WLC-9800 %DOT11-6-ASSOC: Client 02:00:00:00:00:02 associated to AP ap-7');
    expect(e.time).toBe(Date.UTC(2024, 2, 10, 12, 0, 0));
  });

  it('keeps a configured year as given', () => {
    const p = new WifiLogParser({ year: 2019, now: () => Date.UTC(2026, 10, 26) });
    p.parse(telemetry('2024-06-14T15:16:00Z'));
    expect(p.parse(deauth('Jun 14 15:16:01')).time).toBe(Date.UTC(2019, 5, 14, 15, 16, 1));
  });
});
