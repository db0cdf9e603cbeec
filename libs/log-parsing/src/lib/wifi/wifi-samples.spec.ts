import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../loghub-csv';
import { IEEE80211_REASON_CODES, reasonClass } from './reason-codes';
import { WifiEvent } from './wifi-event';
import { WifiLogParser } from './wifi-log-parser';

function dataFile(rel: string): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return readFileSync(path.join(dir, 'data/wifi', rel), 'utf8');
  }
  throw new Error('no nx.json above the spec');
}

const count = (events: WifiEvent[], pred: (e: WifiEvent) => boolean): number => events.filter(pred).length;

// data/wifi/hostapd_linuxrotuer.log: 268 lines of a real hobby AP's hostapd output (see data/wifi/PROVENANCE.md)
describe('WifiLogParser on the real hostapd log', () => {
  const lines = dataFile('hostapd_linuxrotuer.log').split('\n').filter((l) => l.length > 0);
  const parser = new WifiLogParser({ year: 2019 });
  const events = lines.map((l) => parser.parse(l));

  it('keeps every one of the 268 lines as an event', () => {
    expect(events).toHaveLength(268);
    expect(events.map((e) => e.raw)).toEqual(lines);
  });

  it('finds the six connect cycles of station 9c:2e:a1:91:cc:29 on wlan1mon', () => {
    const sta = (type: string) => count(events, (e) => e.type === type && e.station === '9c:2e:a1:91:cc:29');
    expect([sta('auth'), sta('assoc'), sta('connected'), sta('disconnected')]).toEqual([6 + 8, 6, 6, 5]);
    expect(count(events, (e) => e.type === 'handshake' && e.outcome === 'success' && e.detail === 'pairwise')).toBe(6);
    expect(events.find((e) => e.type === 'connected')).toMatchObject({ ap: 'wlan1mon', interface: 'wlan1mon', bssid: '18:d6:c7:09:cf:dc' });
  });

  it('reads the eight MAC-ACL denials as failed authentications', () => {
    const denied = events.filter((e) => e.detail === 'acl-deny');
    expect(denied).toHaveLength(8);
    expect(denied.every((e) => e.type === 'auth' && e.outcome === 'failure' && e.level === 'warning')).toBe(true);
  });

  it('turns AP-ENABLED / AP-DISABLED and interface enable/disable into AP up/down events', () => {
    expect(count(events, (e) => e.type === 'ap-up')).toBe(17);
    expect(count(events, (e) => e.type === 'ap-down')).toBe(41);
    expect(events.find((e) => e.type === 'state-change')?.state).toEqual({ from: 'UNINITIALIZED', to: 'DISABLED' });
  });

  it('reads the `-t` epoch prefix as the event time', () => {
    const stamped = events.find((e) => e.raw.startsWith('1539711731.723773: '));
    expect(stamped).toMatchObject({ time: 1539711731723, type: 'auth', detail: 'acl-deny' });
    expect(count(events, (e) => e.time !== null)).toBe(lines.filter((l) => /^\d{10}\.\d{6}: /.test(l)).length);
  });

  it('recognises the driver failures as driver events that mean failure, at error level', () => {
    const driver = events.filter((e) => e.message === 'nl80211 driver initialization failed.');
    expect(driver.length).toBeGreaterThan(0);
    expect(driver.every((e) => e.type === 'driver' && e.meaning === 'failure' && e.level === 'error')).toBe(true);
    expect(new Set(driver.map((e) => e.templateId)).size).toBe(1);
    expect(driver[0].template).toBe('nl80211 driver initialization failed.');
  });

  it('recognises every line of the real log: none is left to the miner', () => {
    expect(events.filter((e) => e.type === 'other').map((e) => e.message)).toEqual([]);
    expect(parser.miner.templates()).toHaveLength(0);
    const meanings = new Set(events.map((e) => e.meaning));
    expect([...meanings].sort()).toEqual(['failure', 'lifecycle', 'security']);
    // the RADIUS accounting starts of the six sessions are normal lifecycle
    const radius = events.filter((e) => e.type === 'radius');
    expect(radius).toHaveLength(6);
    expect(radius.every((e) => e.meaning === 'lifecycle' && e.station === '9c:2e:a1:91:cc:29')).toBe(true);
  });
});

// data/wifi/wireless_lqe: real indoor link telemetry (first 600 rows of two links)
describe('WifiLogParser on the real wireless-LQE telemetry', () => {
  for (const file of ['s1_s4_head600.csv', 's3_s1_head600.csv']) {
    it(`reads every row of ${file} as a telemetry event with RSSI, SNR, noise, drop and throughput`, () => {
      const [header, ...rows] = parseCsv(dataFile(`wireless_lqe/${file}`));
      const parser = new WifiLogParser();
      const events = rows.map((r) => parser.parse(JSON.stringify(Object.fromEntries(header.map((h, i) => [h, r[i]])))));
      expect(events).toHaveLength(600);
      expect(events.every((e) => e.type === 'telemetry' && e.time !== null)).toBe(true);
      const rssiAt = header.indexOf('receiver_sender_RSSI');
      const dropAt = header.indexOf('packet_drop_percentage');
      events.forEach((e, i) => {
        expect(e.signal?.rssi).toBe(Number(rows[i][rssiAt]));
        expect(e.signal?.packetDropPct).toBeCloseTo(Number(rows[i][dropAt]), 12);
        expect(e.signal).toEqual(expect.objectContaining({ snr: expect.any(Number), noise: expect.any(Number), throughputBps: expect.any(Number) }));
      });
      expect(events[0].time).toBe(Date.parse(`${rows[0][0].replace(' ', 'T').slice(0, 23)}Z`));
    });
  }
});

describe('IEEE 802.11 reason codes', () => {
  it('match data/wifi/ieee80211_reason_codes.csv exactly', () => {
    const [header, ...rows] = parseCsv(dataFile('ieee80211_reason_codes.csv'));
    expect(header).toEqual(['code', 'meaning']);
    expect(Object.fromEntries(rows.map(([code, meaning]) => [Number(code), meaning]))).toEqual(IEEE80211_REASON_CODES);
  });

  it('classes station departures, idle timeouts, security failures and AP-side trouble apart', () => {
    expect([3, 8].map(reasonClass)).toEqual(['leaving', 'leaving']);
    expect(reasonClass(4)).toBe('inactivity');
    expect([2, 14, 15, 23].map(reasonClass)).toEqual(['security', 'security', 'security', 'security']);
    expect([5, 34].map(reasonClass)).toEqual(['ap-side', 'ap-side']);
    expect([1, undefined, 99].map(reasonClass)).toEqual(['unspecified', 'unspecified', 'unspecified']);
  });
});
