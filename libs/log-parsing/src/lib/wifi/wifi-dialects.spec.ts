import { WifiLogParser } from './wifi-log-parser';

// No real wpa_supplicant, dnsmasq or Cisco log is in data/ (see data/wifi/PROVENANCE.md): these lines follow the
// upstream formats (wpa_ctrl.h event names and wpa_msg texts, dnsmasq's DHCP log lines, Cisco's
// `%FACILITY-SEVERITY-MNEMONIC:` syslog as AireOS and Catalyst 9800 print it).
describe('WifiLogParser dialects', () => {
  it('reads syslog- and OpenWrt-prefixed hostapd lines with host, time and reason', () => {
    const p = new WifiLogParser({ year: 2024 });
    const e = p.parse('<30>Jun 14 15:16:01 ap-3f hostapd: wlan0: STA 9C:2E:A1:91:CC:29 IEEE 802.11: deauthenticated due to inactivity (timer DEAUTH/REMOVE)');
    expect(e).toMatchObject({
      time: Date.UTC(2024, 5, 14, 15, 16, 1),
      source: 'hostapd',
      type: 'deauth',
      host: 'ap-3f',
      ap: 'ap-3f/wlan0',
      station: '9c:2e:a1:91:cc:29',
      reasonCode: 4,
      reason: 'Disassociated due to inactivity',
    });
    const o = p.parse('Fri Jun 14 15:17:00 2024 daemon.notice hostapd: phy0-ap0: AP-STA-POSSIBLE-PSK-MISMATCH 9c:2e:a1:91:cc:30');
    expect(o).toMatchObject({ type: 'handshake', outcome: 'failure', detail: 'psk-mismatch', interface: 'phy0-ap0', time: Date.UTC(2024, 5, 14, 15, 17, 0) });
    const t = p.parse('Jun 14 15:17:02 ap-3f hostapd: wlan0: STA 9c:2e:a1:91:cc:31 WPA: EAPOL-Key timeout');
    expect(t).toMatchObject({ type: 'handshake', outcome: 'timeout', reasonCode: 15, reason: '4-Way Handshake timeout' });
    const eap = p.parse('Jun 14 15:17:03 ap-3f hostapd: wlan0: STA 9c:2e:a1:91:cc:32 IEEE 802.1X: authentication failed - EAP type: 0 (unknown)');
    expect(eap).toMatchObject({ type: 'eap', outcome: 'failure' });
  });

  it('detects a roam when a station associates with a second AP while still associated to the first', () => {
    const p = new WifiLogParser({ year: 2024 });
    p.parse('Jun 14 10:00:00 ap-a hostapd: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: associated (aid 1)');
    p.parse('Jun 14 10:00:00 ap-a hostapd: wlan0: AP-STA-CONNECTED 02:00:00:00:00:01');
    const roam = p.parse('Jun 14 11:30:00 ap-b hostapd: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: associated (aid 4)');
    expect(roam.roamFrom).toBe('ap-a/wlan0');
    expect(p.parse('Jun 14 11:30:00 ap-b hostapd: wlan0: AP-STA-CONNECTED 02:00:00:00:00:01').roamFrom).toBeUndefined();
    // the old AP's late deauth does not make the next association at ap-b a roam
    p.parse('Jun 14 11:30:05 ap-a hostapd: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: disassociated');
    p.parse('Jun 14 12:00:00 ap-b hostapd: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: disassociated');
    expect(p.parse('Jun 14 18:00:00 ap-b hostapd: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: associated (aid 2)').roamFrom).toBeUndefined();
  });

  it('reads wpa_supplicant control events and follows the client across BSSIDs', () => {
    const p = new WifiLogParser({ year: 2024 });
    const lines = [
      'Jun 14 09:00:00 laptop wpa_supplicant[811]: wlan0: SME: Trying to authenticate with 18:d6:c7:09:cf:dc (SSID=\'corp\' freq=5180 MHz)',
      'Jun 14 09:00:00 laptop wpa_supplicant[811]: wlan0: Trying to associate with 18:d6:c7:09:cf:dc (SSID=\'corp\' freq=5180 MHz)',
      'Jun 14 09:00:00 laptop wpa_supplicant[811]: wlan0: Associated with 18:d6:c7:09:cf:dc',
      'Jun 14 09:00:01 laptop wpa_supplicant[811]: wlan0: WPA: Key negotiation completed with 18:d6:c7:09:cf:dc [PTK=CCMP GTK=CCMP]',
      'Jun 14 09:00:01 laptop wpa_supplicant[811]: wlan0: CTRL-EVENT-CONNECTED - Connection to 18:d6:c7:09:cf:dc completed [id=0 id_str=]',
      'Jun 14 09:10:00 laptop wpa_supplicant[811]: wlan0: CTRL-EVENT-SIGNAL-CHANGE above=0 signal=-78 noise=-92 txrate=65000',
      'Jun 14 09:10:30 laptop wpa_supplicant[811]: wlan0: CTRL-EVENT-CONNECTED - Connection to 18:d6:c7:09:cf:dd completed [id=0 id_str=]',
      'Jun 14 09:20:00 laptop wpa_supplicant[811]: wlan0: CTRL-EVENT-DISCONNECTED bssid=18:d6:c7:09:cf:dd reason=15',
      'Jun 14 09:20:01 laptop wpa_supplicant[811]: wlan0: State: COMPLETED -> DISCONNECTED',
      'Jun 14 09:20:02 laptop wpa_supplicant[811]: wlan0: CTRL-EVENT-ASSOC-REJECT bssid=18:d6:c7:09:cf:dd status_code=17',
      'Jun 14 09:20:03 laptop wpa_supplicant[811]: wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="corp" auth_failures=1 duration=10 reason=WRONG_KEY',
      'Jun 14 09:20:04 laptop wpa_supplicant[811]: wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect',
      'Jun 14 09:20:05 laptop wpa_supplicant[811]: wlan0: CTRL-EVENT-EAP-FAILURE EAP authentication failed',
    ];
    const events = lines.map((l) => p.parse(l));
    expect(events.map((e) => [e.type, e.outcome ?? null])).toEqual([
      ['auth', 'attempt'],
      ['assoc', 'attempt'],
      ['assoc', 'success'],
      ['handshake', 'success'],
      ['connected', 'success'],
      ['signal', null],
      ['connected', 'success'],
      ['disconnected', null],
      ['state-change', null],
      ['assoc', 'failure'],
      ['auth', 'failure'],
      ['handshake', 'failure'],
      ['eap', 'failure'],
    ]);
    expect(events.every((e) => e.source === 'wpa_supplicant' && e.host === 'laptop')).toBe(true);
    expect(events[5]).toMatchObject({ ap: '18:d6:c7:09:cf:dc', signal: { rssi: -78, noise: -92, txRateMbps: 65 } });
    expect(events[6].roamFrom).toBe('18:d6:c7:09:cf:dc');
    expect(events[7]).toMatchObject({ reasonCode: 15, reason: '4-Way Handshake timeout' });
    expect(events[9].statusCode).toBe(17);
    expect(events[10].detail).toBe('WRONG_KEY');
  });

  it('reads dnsmasq DHCP lines as attempts, leases and failures per station', () => {
    const p = new WifiLogParser({ year: 2024 });
    const kinds = [
      'Jun 14 10:00:00 gw dnsmasq-dhcp[1234]: DHCPDISCOVER(br-lan) 9c:2e:a1:91:cc:29',
      'Jun 14 10:00:00 gw dnsmasq-dhcp[1234]: DHCPOFFER(br-lan) 192.168.1.120 9c:2e:a1:91:cc:29',
      'Jun 14 10:00:00 gw dnsmasq-dhcp[1234]: DHCPREQUEST(br-lan) 192.168.1.120 9c:2e:a1:91:cc:29',
      'Jun 14 10:00:00 gw dnsmasq-dhcp[1234]: DHCPACK(br-lan) 192.168.1.120 9c:2e:a1:91:cc:29 phone',
      'Jun 14 10:00:09 gw dnsmasq-dhcp[1234]: DHCPNAK(br-lan) 192.168.1.77 9c:2e:a1:91:cc:29 wrong network',
      'Jun 14 10:00:10 gw dnsmasq-dhcp[1234]: DHCPDISCOVER(br-lan) 9c:2e:a1:91:cc:29 no address available',
      'Jun 14 10:00:11 laptop udhcpc: no lease, failing',
    ].map((l) => p.parse(l));
    expect(kinds.map((e) => `${e.type}:${e.outcome ?? '-'}`)).toEqual([
      'dhcp:attempt',
      'dhcp:-',
      'dhcp:attempt',
      'dhcp:success',
      'dhcp:failure',
      'dhcp:failure',
      'dhcp:failure',
    ]);
    expect(kinds[0]).toMatchObject({ source: 'dhcp', station: '9c:2e:a1:91:cc:29', interface: 'br-lan', detail: 'DHCPDISCOVER' });
  });

  it('reads Cisco AireOS and Catalyst 9800 syslog lines by mnemonic, with client MAC, AP and severity', () => {
    const p = new WifiLogParser({ year: 2024 });
    const join = p.parse(
      '*apfMsConnTask_6: Jun 15 14:23:45.123: %CLIENT_ORCH_LOG-6-CLIENT_ADDED_TO_RUN_STATE: R0/0: wncd: Username entry (aa:bb:cc:dd:ee:ff) joined with ssid (CorpWiFi) for device with AP name (AP-Floor3-East) AP mac (00:11:22:33:44:55) channel (36) rssi (-62)',
    );
    expect(join).toMatchObject({
      source: 'cisco-wlc',
      type: 'connected',
      station: 'aa:bb:cc:dd:ee:ff',
      ap: 'AP-Floor3-East',
      ssid: 'CorpWiFi',
      level: 'info',
      time: Date.UTC(2024, 5, 15, 14, 23, 45, 123),
      signal: { rssi: -62 },
    });
    const dotted = p.parse(
      '2023/09/19 15:49:47.171926572 {wncd_x_R0-0}{1}: [errmsg] [17435]: (debug): %CLIENT_ORCH_LOG-7-CLIENT_MOVED_TO_RUN_STATE: R0/0: wncd: Username (null), MAC: 845f.04e7.d557, IP 10.0.0.145 associated to AP (mon-0b-ap-164) with SSID (MOBILE)',
    );
    expect(dotted).toMatchObject({ station: '84:5f:04:e7:d5:57', ap: 'mon-0b-ap-164', time: Date.UTC(2023, 8, 19, 15, 49, 47, 171) });
    const excl = p.parse(
      '<133>Mar 10 12:00:00 WLC-9800 %CLIENT_EXCLUSION_SERVER-5-ADD_TO_EXCLUSIONLIST_REASON: Chassis 1 R0/0: wncd: Client MAC: aabb.ccdd.eeff with reason 802.1X Authentication failed 3 times',
    );
    expect(excl).toMatchObject({ host: 'WLC-9800', station: 'aa:bb:cc:dd:ee:ff', outcome: 'failure' });
    const apDown = p.parse('*spamApTask0: Mar 10 12:01:00.000: %LWAPP-3-AP_DEL: spam_lrad.c:5123 AP Disassociated. Base Radio MAC:00:11:22:33:44:55');
    expect(apDown).toMatchObject({ type: 'ap-down', level: 'error', bssid: '00:11:22:33:44:55' });
    const eapol = p.parse('*Dot1x_NW_MsgTask_0: Mar 10 12:02:00.000: %DOT1X-4-MAX_EAPOL_KEY_RETRANS: 1x_ptsm.c:563 Max EAPOL-key M1 retransmissions exceeded for client 00:21:6a:aa:bb:cc');
    expect(eapol).toMatchObject({ type: 'handshake', outcome: 'timeout', station: '00:21:6a:aa:bb:cc', level: 'warning' });
    const unknown = p.parse('*osapiBsnTimer: Mar 10 12:03:00.000: %OSAPI-4-MSGQ_FAIL: osapi_msgq.c:940 Failed to send a message to the message queue');
    expect(unknown).toMatchObject({ type: 'other', source: 'cisco-wlc', level: 'warning' });
    expect(unknown.template).toContain('Failed to send a message');
  });

  it('reads JSON telemetry with any of the common field spellings, and keeps other JSON as `other`', () => {
    const p = new WifiLogParser();
    const e = p.parse('{"@timestamp":"2024-06-14T10:00:00Z","ap_name":"ap-3f","client_mac":"AA-BB-CC-DD-EE-FF","signal_dbm":-71,"SNR":22,"noise_dbm":-93,"tx_retries":12,"packet_loss":3.5,"bits_per_second":1.2e7}');
    expect(e).toMatchObject({
      type: 'telemetry',
      time: Date.UTC(2024, 5, 14, 10),
      ap: 'ap-3f',
      station: 'aa:bb:cc:dd:ee:ff',
      signal: { rssi: -71, snr: 22, noise: -93, retries: 12, packetDropPct: 3.5, throughputBps: 1.2e7 },
    });
    expect(p.parse('{"hello":"world"}')).toMatchObject({ type: 'other', source: 'telemetry' });
    expect(p.parse('{not json')).toMatchObject({ type: 'other' });
  });
});

describe('WifiLogParser bounds', () => {
  const mac = (i: number) => Array.from({ length: 6 }, (_, b) => ((i >> (8 * (5 - b))) & 0xff).toString(16).padStart(2, '0')).join(':');

  it('follows at most maxTracked keys per table over 20,000 distinct APs, interfaces and stations', () => {
    const p = new WifiLogParser({ year: 2024, maxTracked: 100 });
    for (let i = 0; i < 20_000; i++) {
      p.parse(`<30>Jun 14 15:16:01 ap-${i} hostapd: wlan${i % 7}: STA ${mac(i)} IEEE 802.11: associated (aid 1)`);
      p.parse(`<30>Jun 14 15:16:02 ap-${i} wpa_supplicant[1]: wlan${i % 7}: CTRL-EVENT-CONNECTED - Connection to ${mac(i + 1_000_000)} completed [id=0 id_str=]`);
    }
    const size = p.stateSize();
    // six tables: stations, clients, BSSIDs, APs of BSSIDs, interfaces of hosts (100 each), rule templates (≤ 10,000)
    expect(size.tracked).toBeLessThanOrEqual(5 * 100 + 10_000);
    expect(size.evictions).toBeGreaterThan(20_000);
  });
});
