import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WifiLogParser } from '@loglens/log-parsing';
import { WIFI_FEATURE_SCHEMA, WIFI_FEATURE_SCHEMA_V1, WifiWindowState, addWifiEvent, wifiFeaturesComputable, wifiWindowVector } from './wifi-features';
import { wifiFeatureRows } from './wifi-windows';

const col = (name: string): number => {
  const i = WIFI_FEATURE_SCHEMA.features.findIndex((f) => f.name === name);
  if (i < 0) throw new Error(`no column ${name}`);
  return i;
};

function hostapdSample(): string[] {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'data/wifi/hostapd_linuxrotuer.log');
    if (existsSync(path.join(dir, 'nx.json'))) return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  }
  throw new Error('no nx.json above the spec');
}

describe('WiFi window features', () => {
  it('has a versioned float32 schema with unique names', () => {
    expect(WIFI_FEATURE_SCHEMA.version).toBe('wifi-window.v2');
    expect(new Set(WIFI_FEATURE_SCHEMA.features.map((f) => f.name)).size).toBe(WIFI_FEATURE_SCHEMA.features.length);
    expect(WIFI_FEATURE_SCHEMA.features.every((f) => f.dtype === 'float32' && f.description.length > 0)).toBe(true);
  });

  it('counts the real hostapd log\'s ACL denials, connects and AP flaps in its time-stamped half', () => {
    const parser = new WifiLogParser();
    const events = hostapdSample().map((l) => parser.parse(l)).filter((e) => e.time !== null);
    const rows = wifiFeatureRows(events, { sizeMs: 10 * 60_000 });
    const total = (name: string) => rows.reduce((s, r) => s + r.vector[col(name)], 0);
    expect(total('auth_failures')).toBe(8);
    expect(total('auth_attempts')).toBe(8);
    expect(total('ap_down')).toBe(events.filter((e) => e.type === 'ap-down').length);
    // every line of the sample is recognised now: its driver failures count as failures, its RADIUS accounting
    // starts as lifecycle, its MAC-ACL denials as security events
    expect(events.filter((e) => e.type === 'other')).toHaveLength(0);
    expect(total('unrecognised_log2')).toBe(0);
    expect(total('failure_other')).toBeGreaterThan(0);
    expect(total('lifecycle_log2')).toBeGreaterThan(0);
    expect(total('security_events')).toBe(8);
    expect(total('error_events')).toBeGreaterThan(0);
    const acl = rows.find((r) => r.vector[col('auth_failures')] === 8);
    expect(acl?.vector[col('distinct_stations')]).toBe(1);
  });

  it('classes deauth reasons, computes disconnect rate and RSSI/SNR statistics with their trend', () => {
    const parser = new WifiLogParser({ year: 2024 });
    const t0 = Date.UTC(2024, 0, 1, 12);
    const lines = [
      'Jan  1 12:00:00 ap-1 hostapd: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: deauthenticated due to inactivity (timer DEAUTH/REMOVE)',
      'Jan  1 12:00:01 ap-1 hostapd: wlan0: AP-STA-DISCONNECTED 02:00:00:00:00:01',
      'Jan  1 12:00:02 ap-1 hostapd: wlan0: STA 02:00:00:00:00:02 IEEE 802.11: deauthentication: STA=02:00:00:00:00:02 reason_code=15',
      ...[0, 1, 2, 3].map((m) => JSON.stringify({ ts: (t0 + m * 60_000) / 1000, ap: 'ap-1/wlan0', station: '02:00:00:00:00:03', rssi: -50 - 5 * m, snr: 40 - 5 * m })),
    ];
    const events = lines.map((l) => parser.parse(l));
    const state = new WifiWindowState(t0);
    for (const e of events) addWifiEvent(state, e);
    const v = wifiWindowVector(state, 5 * 60_000);
    expect(v[col('deauth_inactivity')]).toBe(1);
    expect(v[col('deauth_security')]).toBe(1);
    expect(v[col('disconnects')]).toBe(1);
    expect(v[col('distinct_stations')]).toBe(3);
    expect(v[col('disconnect_rate')]).toBeCloseTo(1 / 3, 12);
    expect(v[col('rssi_mean')]).toBe(-57.5);
    expect(v[col('rssi_min')]).toBe(-65);
    expect(v[col('rssi_trend')]).toBeCloseTo(-5, 12);
    expect(v[col('snr_trend')]).toBeCloseTo(-5, 12);
    expect(v[col('events_per_minute')]).toBeCloseTo(7 / 5, 12);
  });

  it('fills a window without radio samples with good-link values', () => {
    const v = wifiWindowVector(new WifiWindowState(0), 60_000);
    expect([v[col('rssi_mean')], v[col('rssi_min')], v[col('snr_mean')], v[col('rssi_trend')]]).toEqual([-50, -50, 40, 0]);
  });

  it('counts rare normal events by meaning, and unknown lines on a log scale', () => {
    const parser = new WifiLogParser({ year: 2024 });
    const state = new WifiWindowState(Date.UTC(2024, 8, 4, 8));
    const at = (text: string) => `Sep  4 08:00:01 ap-1 hostapd: phy1-ap0: ${text}`;
    const lines = [
      'DFS-CAC-START freq=5260 chan=52 sec_chan=1, width=1, seg0=58, seg1=0, cac_time=60s',
      'DFS-CAC-COMPLETED success=1 freq=5260 ht_enabled=0 chan_offset=0 chan_width=3 cf1=5290 cf2=0',
      'WPS-PBC-ACTIVE ',
      'STA 02:00:00:00:00:07 RADIUS: starting accounting session 0125C3C571DF8D76',
      'ACS-FAILED ',
      'AP-STA-POSSIBLE-PSK-MISMATCH 02:00:00:00:00:07',
      'vendor_ie: refreshed 3 elements',
      'vendor_ie: refreshed 4 elements',
      'vendor_ie: refreshed 5 elements',
    ];
    for (const l of lines) addWifiEvent(state, parser.parse(at(l)));
    const v = wifiWindowVector(state, 5 * 60_000);
    expect(v[col('radio_events')]).toBe(3);
    expect(v[col('lifecycle_log2')]).toBeCloseTo(Math.log2(1 + 2), 12);
    expect(v[col('failure_other')]).toBe(1); // ACS-FAILED: a radio event that is also a failure
    expect(v[col('security_events')]).toBe(1);
    expect(v[col('handshake_failures')]).toBe(1);
    expect(v[col('unrecognised_log2')]).toBeCloseTo(Math.log2(3), 12);
  });

  it('still computes a v1 model\'s columns, raw `other_events` included', () => {
    const names = WIFI_FEATURE_SCHEMA_V1.features.map((f) => f.name);
    expect(wifiFeaturesComputable(names)).toBe(true);
    expect(wifiFeaturesComputable([...names, 'no_such_column'])).toBe(false);
    const state = new WifiWindowState(0);
    const parser = new WifiLogParser({ year: 2024 });
    for (let i = 0; i < 3; i++) addWifiEvent(state, parser.parse(`vendor_ie: refreshed ${i} elements`));
    const v = wifiWindowVector(state, 60_000, names);
    expect(v).toHaveLength(38);
    expect(v[names.indexOf('other_events')]).toBe(3);
  });
});
