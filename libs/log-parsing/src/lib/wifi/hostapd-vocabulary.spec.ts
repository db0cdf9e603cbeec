import type { TemplateMiner } from '../template-miner';
import { CONTROL_EVENTS, parseControlEvent } from './hostapd-vocabulary';
import { WifiLogParser } from './wifi-log-parser';

const STA = '02:00:00:00:00:01';

// Lines written after hostap's own formats (wpa_ctrl.h event names followed by the fields src/ap/*.c prints;
// hostapd_logger's `STA <mac> <module>: <text>`), as an OpenWrt AP sends them to syslog.
const at = (text: string) => `Sep  4 08:00:01 ap-1 hostapd: phy1-ap0: ${text}`;

describe('the hostapd / wpa_supplicant control-interface vocabulary', () => {
  it('gives every wpa_ctrl.h event name of the table its type, meaning and station', () => {
    for (const [name, spec] of Object.entries(CONTROL_EVENTS)) {
      const parsed = parseControlEvent(`${name} ${STA} extra=1`, 'hostapd');
      expect(parsed).toMatchObject({ type: spec.type, meaning: spec.meaning });
      if (spec.mac === 'station') expect(parsed?.station).toBe(STA);
      if (spec.mac === 'bssid') expect(parsed?.bssid).toBe(STA);
    }
  });

  it('reads event families by prefix and refuses text that is no event name', () => {
    expect(parseControlEvent('P2P-GO-NEG-SUCCESS role=GO freq=2412', 'wpa')).toMatchObject({ type: 'mgmt', meaning: 'lifecycle' });
    expect(parseControlEvent('DPP-CONF-RECEIVED', 'hostapd')).toMatchObject({ type: 'mgmt' });
    expect(parseControlEvent('WPS-SOMETHING-NEW x', 'hostapd')).toMatchObject({ type: 'wps', meaning: 'lifecycle' });
    expect(parseControlEvent('Hello world', 'hostapd')).toBeNull();
    expect(parseControlEvent('NOT-AN-EVENT-FAMILY x', 'hostapd')).toBeNull();
    expect(parseControlEvent('DFS-CAC-COMPLETED success=0 freq=5260', 'hostapd')).toMatchObject({ type: 'radio', meaning: 'failure', outcome: 'failure' });
  });

  it.each([
    ['AP-STA-POLL-OK 3c:22:fb:01:02:03', 'mgmt', 'lifecycle'],
    ['EAPOL-4WAY-HS-COMPLETED 3c:22:fb:01:02:03', 'handshake', 'lifecycle'],
    ['AP-STA-POSSIBLE-PSK-MISMATCH 3c:22:fb:01:02:03', 'handshake', 'security'],
    ['AP-REJECTED-MAX-STA 3c:22:fb:01:02:03', 'assoc', 'failure'],
    ['DFS-CAC-START freq=5260 chan=52 sec_chan=1, width=1, seg0=58, seg1=0, cac_time=60s', 'radio', 'lifecycle'],
    ['DFS-RADAR-DETECTED freq=5260 ht_enabled=0 chan_offset=0 chan_width=3 cf1=5290 cf2=0', 'radio', 'lifecycle'],
    ['AP-CSA-FINISHED freq=5180 dfs=0', 'radio', 'lifecycle'],
    ['ACS-COMPLETED freq=2437 channel=6', 'radio', 'lifecycle'],
    ['ACS-FAILED ', 'radio', 'failure'],
    ['WPS-PBC-ACTIVE ', 'wps', 'lifecycle'],
    ['WPS-REG-SUCCESS 3c:22:fb:01:02:03 2b1c8f3e-0000-1000-8000-3c22fb010203', 'wps', 'lifecycle'],
    ['WPS-AP-SETUP-LOCKED ', 'wps', 'security'],
    ['BSS-TM-RESP 3c:22:fb:01:02:03 dialog_token=5 status_code=0 bss_termination_delay=0', 'mgmt', 'lifecycle'],
    ['CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=25', 'eap', 'lifecycle'],
    ['STA 3c:22:fb:01:02:03 RADIUS: starting accounting session 0125C3C571DF8D76', 'radius', 'lifecycle'],
    ['STA 3c:22:fb:01:02:03 RADIUS: Resending RADIUS message (id=12) - no response from server', 'radius', 'failure'],
    ['STA 3c:22:fb:01:02:03 IEEE 802.1X: authorizing port', 'eap', 'lifecycle'],
    ["STA 3c:22:fb:01:02:03 IEEE 802.1X: STA identity 'alice'", 'eap', 'lifecycle'],
    ['STA 3c:22:fb:01:02:03 IEEE 802.11: authentication OK (SAE)', 'auth', 'lifecycle'],
    ["STA 3c:22:fb:01:02:03 IEEE 802.11: binding station to interface 'phy1-ap0.sta1'", 'mgmt', 'lifecycle'],
    ['STA 3c:22:fb:01:02:03 WPA: sending 1/4 msg of 4-Way Handshake', 'handshake', 'lifecycle'],
    ['STA 3c:22:fb:01:02:03 WPA: FT authentication already completed - do not start 4-way handshake', 'handshake', 'lifecycle'],
    ['STA 3c:22:fb:01:02:03 WPA: received EAPOL-Key Error Request (STA detected Michael MIC failure (group=0))', 'handshake', 'security'],
    ['STA 3c:22:fb:01:02:03 WPA: received EAPOL-Key 2/4 Pairwise with unexpected replay counter', 'handshake', 'security'],
    ['STA 3c:22:fb:01:02:03 MLME: MLME-AUTHENTICATE.indication(3c:22:fb:01:02:03, OPEN_SYSTEM)', 'mgmt', 'lifecycle'],
    ['interface state ENABLED->DFS', 'state-change', 'lifecycle'],
    ['nl80211: kernel reports: Match already configured', 'driver', 'lifecycle'],
    ['nl80211: Failed to remove interface phy1-ap1 from bridge br-lan: Invalid argument', 'driver', 'failure'],
    ['Could not set interface phy1-ap0 flags (UP): Resource busy', 'driver', 'failure'],
    ['CTRL-EVENT-REGDOM-CHANGE init=DRIVER type=COUNTRY alpha2=DE', 'radio', 'lifecycle'],
  ])('recognises %s', (text, type, meaning) => {
    const e = new WifiLogParser({ year: 2024 }).parse(at(text));
    expect({ type: e.type, meaning: e.meaning, source: e.source }).toEqual({ type, meaning, source: 'hostapd' });
  });

  it.each([
    ['CTRL-EVENT-SCAN-STARTED ', 'scan'],
    ['CTRL-EVENT-BSS-ADDED 21 94:83:c4:10:a0:02', 'scan'],
    ['CTRL-EVENT-SUBNET-STATUS-UPDATE status=0', 'mgmt'],
    ['PMKSA-CACHE-ADDED 94:83:c4:10:a0:02 0', 'handshake'],
    ['CTRL-EVENT-EAP-METHOD EAP vendor 0 method 25 (PEAP) selected', 'eap'],
    ['CTRL-EVENT-CHANNEL-SWITCH freq=5180 ht_enabled=1 ch_offset=1 ch_width=80 MHz cf1=5210 cf2=0', 'radio'],
    ['CTRL-EVENT-UNPROT-BEACON 94:83:c4:10:a0:02', 'mgmt'],
  ])('recognises the wpa_supplicant line %s', (text, type) => {
    const e = new WifiLogParser({ year: 2024 }).parse(`Sep  4 08:00:01 nb-1 wpa_supplicant[655]: wlp2s0: ${text}`);
    expect(e).toMatchObject({ type, source: 'wpa_supplicant' });
    expect(e.meaning).not.toBe('unknown');
  });

  it('keeps the specific rules ahead of the table: a client CONNECTED line still names its BSSID and roam', () => {
    const p = new WifiLogParser({ year: 2024 });
    const e = p.parse('wlan0: CTRL-EVENT-CONNECTED - Connection to 94:83:c4:10:a0:02 completed [id=0 id_str=]');
    expect(e).toMatchObject({ type: 'connected', source: 'wpa_supplicant', bssid: '94:83:c4:10:a0:02', templateId: 'wpa.connected' });
    const sta = p.parse('wlan0: AP-STA-CONNECTED 02:00:00:00:00:09');
    expect(sta).toMatchObject({ type: 'connected', source: 'hostapd', station: '02:00:00:00:00:09' });
  });

  it('leaves a line of no known event, module or subsystem to the miner, as `other` with meaning unknown', () => {
    const p = new WifiLogParser({ year: 2024 });
    expect(p.parse(at('vendor_ie: refreshed 3 elements'))).toMatchObject({ type: 'other', meaning: 'unknown' });
    // names that exist on every object are no subsystem or event
    for (const text of ['constructor: x', 'toString', '__proto__: y', 'hasOwnProperty']) {
      expect(p.parse(at(text))).toMatchObject({ type: 'other', meaning: 'unknown' });
    }
  });

  it('costs linear time on hostile lines (long runs of the characters its patterns look for)', () => {
    // the WiFi rules only: lines no rule knows go on to the template miner, whose cost its own specs bound
    const miner = { add: (m: string) => ({ templateId: 'x', template: m }) } as unknown as TemplateMiner;
    const p = new WifiLogParser({ year: 2024, miner });
    const shapes: Array<(kib: number) => string> = [
      (kib) => 'A-'.repeat(kib * 512),
      (kib) => `CTRL-EVENT-SSID-TEMP-DISABLED ${'ssid="'.repeat(kib * 170)}`,
      (kib) => `STA ${STA} ${'IEEE 802.11 '.repeat(kib * 85)}`,
      (kib) => `%AP-5-X: ${'AP ('.repeat(kib * 256)}`,
      (kib) => `%AP-5-X: ${'STA '.repeat(kib * 100)}${' '.repeat(kib * 600)}`,
      (kib) => `<13>Sep  4 08:00:01 ${' '.repeat(kib * 1024)}%AP-5-X: y`,
      (kib) => `${'nl80211'.repeat(kib * 146)}: x`,
      (kib) => ' '.repeat(kib * 1024),
      (kib) => `AP-STA-CONNECTED ${'0'.repeat(kib * 1024)}`,
      (kib) => `wlan0: STA ${STA} RADIUS: ${'no response '.repeat(kib * 85)}`,
    ];
    const best = (line: string): number => {
      let ms = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        p.parse(line);
        ms = Math.min(ms, performance.now() - t0);
      }
      return ms;
    };
    for (const shape of shapes) {
      const small = best(shape(8));
      const big = best(shape(64));
      // 8× the input: a linear pattern costs ~8× (a quadratic one 64×); the absolute bound is loose because specs
      // share the CPU (unloaded, every shape takes well under the 1 ms per KiB)
      expect(big).toBeLessThan(24 * small + 5);
      expect(big).toBeLessThan(640);
    }
  });
});
