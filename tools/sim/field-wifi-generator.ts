// A second, independently designed WiFi log generator, used only to measure false alarms on normal traffic the
// model never trained on. Where libs/testing/src/lib/models/wifi-simulator.ts models a six-AP office week (one radio per AP, syslog
// from `hostapd:` without pid, a fixed connect sequence), this one models an OpenWrt-managed residential/campus
// building the way its collector writes it:
//   - dual-band APs (`phy0-ap0` 2.4 GHz, `phy1-ap0` 5 GHz on a DFS channel), rsyslog file format with
//     microsecond ISO stamps and pids on some APs, RFC 3164 with a priority on others;
//   - hostapd's own message formats as hostapd ≥ 2.10 writes them (src/ap/*.c, src/common/wpa_ctrl.h):
//     `EAPOL-4WAY-HS-COMPLETED`, `AP-STA-POLL-OK`, RADIUS accounting, 802.1X/PEAP on the staff SSID, 802.11r (FT)
//     and 802.11v (`BSS-TM-RESP`) roaming, WPS push-button pairing, DFS CAC on start and the odd radar hit with a
//     channel switch, ACS on the 2.4 GHz radio, daily group rekeys, nightly restarts of some APs, driver chatter
//     (`nl80211:`), and now and then a line no parser rule knows (vendor patches, debug leftovers);
//   - evening-peak residential presence rather than office hours, Poisson arrivals, long IoT sessions, phones that
//     doze and reconnect, guests that stay minutes;
//   - a dnsmasq on the router and a few Linux laptops whose journald wpa_supplicant lines are collected.
// Everything it writes is normal behaviour: it has no incidents. Deterministic for a seed.
import { Rng, createRng } from '@loglens/training';

export interface FieldWifiOptions {
  seed: number;
  /** Epoch ms of the first line; default Wednesday 2024-09-04 00:00 UTC. */
  start?: number;
  durationMs: number;
  /** APs (each with a 2.4 and a 5 GHz radio); default 8. */
  aps?: number;
  /** Client devices; default 220. */
  clients?: number;
}

export interface FieldWifiResult {
  lines: string[];
  /** Window keys the parser gives the radios (`<host>/<interface>`). */
  radioKeys: string[];
  year: number;
}

export const FIELD_DEFAULT_START = Date.UTC(2024, 8, 4);
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const RADIOS = ['phy0-ap0', 'phy1-ap0'] as const;
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type Kind = 'phone' | 'laptop' | 'tablet' | 'tv' | 'iot' | 'guest' | 'printer';

interface Client {
  mac: string;
  kind: Kind;
  ap: number;
  radio: number;
  /** staff devices use the 802.1X SSID (RADIUS), the rest WPA2/WPA3-PSK */
  enterprise: boolean;
  host?: string;
  at: { ap: number; radio: number } | null;
  ip: string;
}

interface Ap {
  name: string;
  /** 'iso': rsyslog file format with pid; 'bsd': `<pri>Mmm dd hh:mm:ss host hostapd: …` */
  style: 'iso' | 'bsd';
  bssid: [string, string];
  up: [boolean, boolean];
  dfsChannel: number;
}

/** Generates normal-only field-style WiFi logs. */
export function generateFieldWifi(opts: FieldWifiOptions): FieldWifiResult {
  return new FieldSite(opts).run();
}

class FieldSite {
  private readonly rng: Rng;
  private readonly start: number;
  private readonly end: number;
  private readonly aps: Ap[];
  private readonly clients: Client[] = [];
  private readonly out: Array<{ t: number; n: number; line: string }> = [];
  private n = 0;

  constructor(opts: FieldWifiOptions) {
    this.rng = createRng(opts.seed * 7919 + 17);
    this.start = opts.start ?? FIELD_DEFAULT_START;
    this.end = this.start + opts.durationMs;
    const names = ['ap-lobby', 'ap-gym', 'ap-f1-east', 'ap-f1-west', 'ap-f2-east', 'ap-f2-west', 'ap-f3-east', 'ap-f3-west', 'ap-roof', 'ap-garage'];
    const count = opts.aps ?? 8;
    this.aps = Array.from({ length: count }, (_, i) => ({
      name: names[i] ?? `ap-${i}`,
      style: i % 3 === 2 ? 'bsd' : 'iso',
      bssid: [`94:83:c4:1${i}:a0:01`, `94:83:c4:1${i}:a0:02`] as [string, string],
      up: [false, false] as [boolean, boolean],
      dfsChannel: [52, 56, 60, 64, 100, 104, 108, 112][i % 8],
    }));
    const kinds: Array<[Kind, number]> = [['phone', 0.38], ['laptop', 0.18], ['tablet', 0.08], ['tv', 0.06], ['iot', 0.2], ['guest', 0.08], ['printer', 0.02]];
    for (let i = 0; i < (opts.clients ?? 220); i++) {
      let u = this.rng.next();
      let kind: Kind = 'phone';
      for (const [k, p] of kinds) {
        if (u < p) {
          kind = k;
          break;
        }
        u -= p;
      }
      const ap = this.rng.int(count);
      this.clients.push({
        mac: macFrom(this.rng, i),
        kind,
        ap,
        // IoT and printers are 2.4 GHz only; others prefer 5 GHz
        radio: kind === 'iot' || kind === 'printer' ? 0 : this.rng.next() < 0.75 ? 1 : 0,
        enterprise: kind === 'laptop' && this.rng.next() < 0.5,
        host: kind === 'laptop' && i % 9 === 0 ? `nb-${i.toString(16)}` : undefined,
        at: null,
        ip: `192.168.${10 + (i >> 8)}.${(i & 0xff) + 1}`,
      });
    }
  }

  run(): FieldWifiResult {
    this.aps.forEach((_, a) => {
      this.bootAp(a, this.start + 5 * SEC + a * 2300);
      // nightly restart of about a third of the APs (firmware cron), 04:00–04:30 local
      for (let d = 0; this.start + d * DAY < this.end; d++) {
        if (this.rng.next() < 0.3) this.restartAp(a, this.start + d * DAY + 4 * HOUR + this.rng.next() * 30 * MIN);
        // daily group rekey (wpa_group_rekey=86400) at the time the AP came up
        this.groupRekey(a, this.start + d * DAY + 5 * SEC + a * 2300 + DAY);
        // DFS radar on the 5 GHz radio every few days: channel switch, clients follow
        if (this.rng.next() < 0.15) this.radar(a, this.start + d * DAY + this.rng.next() * DAY);
        // WPS push-button pairing (a printer, a new TV, a game console) about weekly per AP
        if (this.rng.next() < 0.14) this.wps(a, this.start + d * DAY + (9 + this.rng.next() * 12) * HOUR);
        // the unknown: a vendor/debug line this site's firmware prints once or twice a day
        const oddities = this.rng.int(3);
        for (let k = 0; k < oddities; k++) this.oddLine(a, this.start + d * DAY + this.rng.next() * DAY);
      }
    });
    for (const c of this.clients) this.lifecycle(c);
    // the daily group rekey: one group key handshake per station associated to the radio at that moment
    for (const { a, t } of this.pendingRekeys) {
      for (const span of this.spans) {
        if (span.ap !== a || t < span.from || t >= span.to) continue;
        this.hostapd(a, t + 50 + this.rng.next() * 400, `STA ${span.mac} WPA: group key handshake completed (RSN)`, span.radio);
      }
    }
    this.out.sort((x, y) => x.t - y.t || x.n - y.n);
    return {
      lines: this.out.filter((o) => o.t >= this.start && o.t < this.end).map((o) => o.line),
      radioKeys: this.aps.flatMap((ap) => RADIOS.map((r) => `${ap.name}/${r}`)),
      year: new Date(this.start).getUTCFullYear(),
    };
  }

  // ---- output ---------------------------------------------------------------------------------------------------

  private put(t: number, line: string): void {
    this.out.push({ t, n: this.n++, line });
  }

  private hostapd(a: number, t: number, text: string, radio?: number, severity = 5): void {
    const ap = this.aps[a];
    const body = radio === undefined ? text : `${RADIOS[radio]}: ${text}`;
    if (ap.style === 'iso') this.put(t, `${isoStamp(t)} ${ap.name} hostapd[${1200 + a}]: ${body}`);
    else this.put(t, `<${24 + severity}>${bsdStamp(t)} ${ap.name} hostapd: ${body}`);
  }

  private dnsmasq(t: number, text: string): void {
    this.put(t, `${isoStamp(t)} router dnsmasq-dhcp[2211]: ${text}`);
  }

  private supplicant(c: Client, t: number, text: string): void {
    if (c.host) this.put(t, `${bsdStamp(t)} ${c.host} wpa_supplicant[655]: wlp2s0: ${text}`);
  }

  // ---- APs --------------------------------------------------------------------------------------------------------

  private bootAp(a: number, t: number): void {
    const ap = this.aps[a];
    this.hostapd(a, t, 'Configuration file: /var/run/hostapd-phy0.conf');
    this.hostapd(a, t + 40, 'Configuration file: /var/run/hostapd-phy1.conf');
    this.hostapd(a, t + 90, `nl80211: kernel reports: Match already configured`);
    // 2.4 GHz: automatic channel selection
    this.hostapd(a, t + 300, 'interface state UNINITIALIZED->COUNTRY_UPDATE', 0);
    this.hostapd(a, t + 900, 'interface state COUNTRY_UPDATE->ACS', 0);
    this.hostapd(a, t + 910, 'ACS-STARTED ', 0);
    const ch = [1, 6, 11][this.rng.int(3)];
    this.hostapd(a, t + 5200, `ACS-COMPLETED freq=${2407 + 5 * ch} channel=${ch}`, 0);
    this.hostapd(a, t + 5210, 'interface state ACS->HT_SCAN', 0);
    this.hostapd(a, t + 5800, `Using interface ${RADIOS[0]} with hwaddr ${ap.bssid[0]} and ssid "Residence"`);
    this.hostapd(a, t + 5900, 'interface state HT_SCAN->ENABLED', 0);
    this.hostapd(a, t + 5901, 'AP-ENABLED ', 0);
    ap.up[0] = true;
    // 5 GHz on a DFS channel: a minute of channel availability check before beaconing
    const f = 5000 + 5 * ap.dfsChannel;
    this.hostapd(a, t + 1200, `Using interface ${RADIOS[1]} with hwaddr ${ap.bssid[1]} and ssid "Residence"`);
    this.hostapd(a, t + 1300, 'interface state UNINITIALIZED->DFS', 1);
    this.hostapd(a, t + 1310, `DFS-CAC-START freq=${f} chan=${ap.dfsChannel} sec_chan=1, width=1, seg0=${ap.dfsChannel + 6}, seg1=0, cac_time=60s`, 1);
    this.hostapd(a, t + 61_320, `DFS-CAC-COMPLETED success=1 freq=${f} ht_enabled=0 chan_offset=0 chan_width=3 cf1=${f + 30} cf2=0`, 1);
    this.hostapd(a, t + 61_330, 'interface state DFS->ENABLED', 1);
    this.hostapd(a, t + 61_331, 'AP-ENABLED ', 1);
    ap.up[1] = true;
  }

  private readonly downSpans: Array<{ a: number; from: number; to: number }> = [];

  private isDown(a: number, t: number): boolean {
    return this.downSpans.some((s) => s.a === a && t >= s.from && t < s.to);
  }

  private restartAp(a: number, t: number): void {
    for (const r of [0, 1]) {
      this.hostapd(a, t + r * 20, 'interface state ENABLED->DISABLED', r);
      this.hostapd(a, t + r * 20 + 1, 'AP-DISABLED ', r);
      this.hostapd(a, t + r * 20 + 2, 'CTRL-EVENT-TERMINATING ', r);
      this.hostapd(a, t + r * 20 + 5, `nl80211: deinit ifname=${RADIOS[r]} disabled_11b_rates=0`);
    }
    // back after ~70 s of reboot, CAC included
    this.downSpans.push({ a, from: t, to: t + 140 * SEC });
    this.bootAp(a, t + 70 * SEC);
  }

  private groupRekey(a: number, t: number): void {
    if (t >= this.end) return;
    this.pendingRekeys.push({ a, t });
  }

  private readonly pendingRekeys: Array<{ a: number; t: number }> = [];

  private radar(a: number, t: number): void {
    const ap = this.aps[a];
    const f = 5000 + 5 * ap.dfsChannel;
    this.hostapd(a, t, `DFS-RADAR-DETECTED freq=${f} ht_enabled=0 chan_offset=0 chan_width=3 cf1=${f + 30} cf2=0`, 1, 4);
    this.hostapd(a, t + 20, 'DFS-NEW-CHANNEL freq=5180 chan=36 sec_chan=1', 1);
    this.hostapd(a, t + 30, 'CTRL-EVENT-STARTED-CHANNEL-SWITCH freq=5180 ht_enabled=1 ch_offset=1 ch_width=80 MHz cf1=5210 cf2=0 dfs=0', 1);
    this.hostapd(a, t + 400, 'AP-CSA-FINISHED freq=5180 dfs=0', 1);
    this.hostapd(a, t + 401, 'CTRL-EVENT-CHANNEL-SWITCH freq=5180 ht_enabled=1 ch_offset=1 ch_width=80 MHz cf1=5210 cf2=0 dfs=0', 1);
    this.hostapd(a, t + 30 * MIN, `DFS-NOP-FINISHED freq=${f} ht_enabled=0 chan_offset=0 chan_width=3 cf1=${f + 30} cf2=0`, 1);
  }

  private wps(a: number, t: number): void {
    const mac = macFrom(this.rng, 5000 + this.rng.int(1000));
    this.hostapd(a, t, 'WPS-PBC-ACTIVE ', 0);
    this.hostapd(a, t + 9 * SEC, `WPS-ENROLLEE-SEEN ${mac} 2b1c8f3e-0000-1000-8000-${mac.replace(/:/g, '')} 3-0050F204-1 0x4388 0 1 [Printer]`, 0);
    this.hostapd(a, t + 9400, `STA ${mac} IEEE 802.11: authenticated`, 0);
    this.hostapd(a, t + 9450, `STA ${mac} IEEE 802.11: associated (aid 7)`, 0);
    this.hostapd(a, t + 9500, `CTRL-EVENT-EAP-STARTED ${mac}`, 0);
    this.hostapd(a, t + 9600, `CTRL-EVENT-EAP-PROPOSED-METHOD vendor=14122 method=1`, 0);
    this.hostapd(a, t + 11_000, `WPS-REG-SUCCESS ${mac} 2b1c8f3e-0000-1000-8000-${mac.replace(/:/g, '')}`, 0);
    this.hostapd(a, t + 11_010, 'WPS-PBC-DISABLE ', 0);
    this.hostapd(a, t + 11_020, 'WPS-SUCCESS ', 0);
    this.hostapd(a, t + 11_100, `CTRL-EVENT-EAP-FAILURE ${mac}`, 0);
    this.hostapd(a, t + 11_200, `STA ${mac} IEEE 802.1X: authentication failed - EAP type: 0 (unknown)`, 0);
    this.hostapd(a, t + 11_300, `STA ${mac} IEEE 802.11: deauthenticated due to local deauth request`, 0);
    // the enrollee comes back with its new credential
    this.hostapd(a, t + 14_000, `STA ${mac} IEEE 802.11: authenticated`, 0);
    this.hostapd(a, t + 14_050, `STA ${mac} IEEE 802.11: associated (aid 7)`, 0);
    this.hostapd(a, t + 14_120, `AP-STA-CONNECTED ${mac}`, 0);
    this.hostapd(a, t + 14_130, `EAPOL-4WAY-HS-COMPLETED ${mac}`, 0);
  }

  private oddLine(a: number, t: number): void {
    const radio = this.rng.int(2);
    const texts = [
      `Channel utilization ${this.rng.int(60)}% on ${RADIOS[radio]}`,
      `vendor_ie: refreshed ${this.rng.int(9) + 1} elements`,
      `airtime_policy: ${RADIOS[radio]} weight ${64 + this.rng.int(192)}`,
      `mbo: cell_pref=${this.rng.int(3)} assoc_disallow=0`,
      `ubus: object hostapd.${RADIOS[radio]} refreshed`,
      `hostapd_notif_auth: bss ${this.aps[a].bssid[radio]} reply sent`,
      `RRM: neighbor report for ${this.aps[(a + 1) % this.aps.length].bssid[radio]} updated`,
    ];
    this.hostapd(a, t, texts[this.rng.int(texts.length)], this.rng.next() < 0.5 ? radio : undefined);
  }

  // ---- clients ----------------------------------------------------------------------------------------------------

  /** Wanted-online probability: a residential/campus day, evenings busiest; IoT and TVs nearly always on. */
  private presence(c: Client, t: number): number {
    const h = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
    const evening = h >= 17 && h < 23.5 ? 1 : h >= 6.5 && h < 9 ? 0.7 : h >= 23.5 || h < 1 ? 0.5 : 0.3;
    switch (c.kind) {
      case 'iot':
      case 'printer':
        return 0.99;
      case 'tv':
        return 0.6 + 0.35 * evening;
      case 'guest':
        return 0.08 * evening;
      case 'phone':
        return 0.35 + 0.6 * evening;
      default:
        return 0.1 + 0.75 * evening;
    }
  }

  private lifecycle(c: Client): void {
    let t = this.start + this.rng.next() * 30 * MIN;
    while (t < this.end) {
      if (c.at === null) {
        if (this.rng.next() < this.presence(c, t)) {
          const a = this.rng.next() < 0.85 ? c.ap : (c.ap + 1) % this.aps.length;
          t = this.join(c, a, t);
        }
        t += this.expo(c.kind === 'guest' ? 3 * HOUR : 25 * MIN);
        continue;
      }
      // connected: next thing that happens to this client
      const stay = c.kind === 'iot' || c.kind === 'printer' ? this.expo(14 * HOUR) : c.kind === 'guest' ? this.expo(25 * MIN) : this.expo(70 * MIN);
      t += stay;
      if (t >= this.end) break;
      const u = this.rng.next();
      const restart = this.downSpans.find((d) => d.a === c.at?.ap && d.from < t && d.to > t - stay);
      if (restart) {
        // the AP rebooted under the client: it comes back when the radios beacon again
        this.disassociate(c, restart.from);
        t = this.join(c, restart.a, restart.to + this.rng.next() * 90 * SEC);
        continue;
      }
      if (c.kind === 'phone' && u < 0.25) t = this.roam(c, t);
      else if (u < 0.45 && c.kind !== 'iot') this.leave(c, t, 'inactivity');
      else if (u < 0.55) this.poll(c, t);
      else if (this.rng.next() < this.presence(c, t)) this.poll(c, t);
      else this.leave(c, t, this.rng.next() < 0.6 ? 'client' : 'inactivity');
    }
  }

  private join(c: Client, a: number, t: number): number {
    const radio = c.radio === 1 && this.aps[a].up[1] && !this.isDown(a, t) ? 1 : 0;
    if (this.isDown(a, t)) return t + 3 * MIN;
    const ap = this.aps[a];
    let s = t;
    this.supplicant(c, s - 900, 'CTRL-EVENT-SCAN-STARTED ');
    this.supplicant(c, s - 100, 'CTRL-EVENT-SCAN-RESULTS ');
    this.supplicant(c, s - 90, `SME: Trying to authenticate with ${ap.bssid[radio]} (SSID='Residence' freq=${radio ? 5180 : 2437} MHz)`);
    const sae = !c.enterprise && this.rng.next() < 0.2;
    this.hostapd(a, s, `STA ${c.mac} IEEE 802.11: authenticated`, radio);
    if (sae && this.rng.next() < 0.5) this.hostapd(a, s + 1, `STA ${c.mac} IEEE 802.11: authentication OK (SAE)`, radio);
    this.supplicant(c, s + 5, `Trying to associate with ${ap.bssid[radio]} (SSID='Residence' freq=${radio ? 5180 : 2437} MHz)`);
    this.hostapd(a, s + 12, `STA ${c.mac} IEEE 802.11: associated (aid ${1 + this.rng.int(40)})`, radio);
    this.supplicant(c, s + 14, `Associated with ${ap.bssid[radio]}`);
    s += 20;
    if (c.enterprise) {
      this.hostapd(a, s, `CTRL-EVENT-EAP-STARTED ${c.mac}`, radio);
      this.hostapd(a, s + 5, `CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=25`, radio);
      this.supplicant(c, s + 6, 'CTRL-EVENT-EAP-STARTED EAP authentication started');
      this.supplicant(c, s + 8, 'CTRL-EVENT-EAP-METHOD EAP vendor 0 method 25 (PEAP) selected');
      this.supplicant(c, s + 60, `CTRL-EVENT-EAP-PEER-CERT depth=0 subject='/CN=radius.residence.example' hash=5b1c…`);
      this.hostapd(a, s + 240, `STA ${c.mac} IEEE 802.1X: authenticated - EAP type: 25 (PEAP)`, radio);
      this.hostapd(a, s + 241, `CTRL-EVENT-EAP-SUCCESS2 ${c.mac}`, radio);
      this.supplicant(c, s + 242, 'CTRL-EVENT-EAP-SUCCESS EAP authentication completed successfully');
      s += 250;
    }
    this.hostapd(a, s + 60, `AP-STA-CONNECTED ${c.mac}`, radio);
    this.hostapd(a, s + 61, `EAPOL-4WAY-HS-COMPLETED ${c.mac}`, radio);
    this.supplicant(c, s + 62, `WPA: Key negotiation completed with ${ap.bssid[radio]} [PTK=CCMP GTK=CCMP]`);
    this.supplicant(c, s + 63, `CTRL-EVENT-CONNECTED - Connection to ${ap.bssid[radio]} completed [id=1 id_str=]`);
    this.supplicant(c, s + 64, 'CTRL-EVENT-SUBNET-STATUS-UPDATE status=0');
    if (c.enterprise) this.hostapd(a, s + 70, `STA ${c.mac} RADIUS: starting accounting session ${hex16(this.rng)}`, radio);
    // DHCP (a returning device renews its lease; new ones discover)
    const d = s + 400 + this.rng.next() * 1200;
    if (this.rng.next() < 0.6) {
      this.dnsmasq(d, `DHCPREQUEST(br-lan) ${c.ip} ${c.mac}`);
    } else {
      this.dnsmasq(d, `DHCPDISCOVER(br-lan) ${c.mac}`);
      this.dnsmasq(d + 2, `DHCPOFFER(br-lan) ${c.ip} ${c.mac}`);
      this.dnsmasq(d + 40, `DHCPREQUEST(br-lan) ${c.ip} ${c.mac}`);
    }
    this.dnsmasq(d + 45, `DHCPACK(br-lan) ${c.ip} ${c.mac} ${c.kind}-${c.mac.slice(-2)}`);
    this.associate(c, a, radio, s);
    this.openSpan.set(c.mac, this.spans[this.spans.length - 1]);
    return s + 2 * SEC;
  }

  private leave(c: Client, t: number, how: 'client' | 'inactivity'): void {
    const at = c.at;
    if (!at) return;
    if (how === 'inactivity') {
      // hostapd's inactivity timer: poll first, then the deauth
      this.hostapd(at.ap, t, `STA ${c.mac} IEEE 802.11: deauthenticated due to inactivity (timer DEAUTH/REMOVE)`, at.radio);
    } else {
      this.hostapd(at.ap, t, `STA ${c.mac} IEEE 802.11: disassociated`, at.radio);
      this.supplicant(c, t - 5, `CTRL-EVENT-DISCONNECTED bssid=${this.aps[at.ap].bssid[at.radio]} reason=3 locally_generated=1`);
    }
    this.hostapd(at.ap, t + 3, `AP-STA-DISCONNECTED ${c.mac}`, at.radio);
    if (c.enterprise) this.hostapd(at.ap, t + 4, `STA ${c.mac} RADIUS: stopped accounting session ${hex16(this.rng)}`, at.radio);
    if (c.kind !== 'iot' && this.rng.next() < 0.3) this.dnsmasq(t + 900, `DHCPRELEASE(br-lan) ${c.ip} ${c.mac}`);
    this.disassociate(c, t);
  }

  private poll(c: Client, t: number): void {
    const at = c.at;
    if (!at) return;
    // hostapd polls idle stations before deciding they are gone; most answer
    if (this.rng.next() < 0.5) this.hostapd(at.ap, t, `AP-STA-POLL-OK ${c.mac}`, at.radio);
    if (c.host && this.rng.next() < 0.4) {
      this.supplicant(c, t + 2, `CTRL-EVENT-SIGNAL-CHANGE above=1 signal=${-48 - this.rng.int(25)} noise=-92 txrate=${[144400, 286700, 573500][this.rng.int(3)]}`);
    }
    if (c.host && this.rng.next() < 0.2) {
      this.supplicant(c, t + 5, 'CTRL-EVENT-SCAN-STARTED ');
      this.supplicant(c, t + 3000, 'CTRL-EVENT-SCAN-RESULTS ');
      const seen = 2 + this.rng.int(6);
      for (let k = 0; k < seen; k++) this.supplicant(c, t + 3001 + k, `CTRL-EVENT-BSS-ADDED ${20 + k} 94:83:c4:${hex2(this.rng.int(256))}:a0:0${1 + this.rng.int(2)}`);
    }
  }

  /** 802.11r/v roam to a neighbour: FT authentication at the new AP, the old one notices later. */
  private roam(c: Client, t: number): number {
    const from = c.at;
    if (!from) return t;
    const to = (from.ap + (this.rng.next() < 0.5 ? 1 : this.aps.length - 1)) % this.aps.length;
    if (this.isDown(to, t) || !this.aps[to].up[from.radio]) return t;
    const radio = from.radio;
    if (this.rng.next() < 0.5) {
      // the old AP steers the client (802.11v) and logs the answer
      this.hostapd(from.ap, t - 800, `BSS-TM-RESP ${c.mac} dialog_token=${1 + this.rng.int(200)} status_code=0 bss_termination_delay=0 target_bssid=${this.aps[to].bssid[radio]}`, radio);
    }
    this.hostapd(to, t, `STA ${c.mac} IEEE 802.11: authenticated`, radio);
    this.hostapd(to, t + 8, `STA ${c.mac} IEEE 802.11: associated (aid ${1 + this.rng.int(40)})`, radio);
    this.hostapd(to, t + 9, `STA ${c.mac} WPA: FT authentication already completed - do not start 4-way handshake`, radio);
    this.hostapd(to, t + 10, `AP-STA-CONNECTED ${c.mac}`, radio);
    if (c.enterprise) this.hostapd(to, t + 12, `STA ${c.mac} RADIUS: starting accounting session ${hex16(this.rng)}`, radio);
    // break-after-make: the old AP times the station out a little later
    const gone = t + (5 + this.rng.next() * 50) * SEC;
    this.hostapd(from.ap, gone, `STA ${c.mac} IEEE 802.11: disassociated due to inactivity`, radio);
    this.hostapd(from.ap, gone + 2, `AP-STA-DISCONNECTED ${c.mac}`, radio);
    this.supplicant(c, t + 15, `CTRL-EVENT-CONNECTED - Connection to ${this.aps[to].bssid[radio]} completed [id=1 id_str=]`);
    this.associate(c, to, radio, t);
    this.openSpan.set(c.mac, this.spans[this.spans.length - 1]);
    return t + SEC;
  }

  private expo(mean: number): number {
    return -Math.log(1 - this.rng.next()) * mean;
  }

  /** Who was associated where and when (for the group rekeys). */
  private readonly spans: Array<{ mac: string; ap: number; radio: number; from: number; to: number }> = [];

  private associate(c: Client, ap: number, radio: number, t: number): void {
    this.disassociate(c, t);
    c.at = { ap, radio };
    this.spans.push({ mac: c.mac, ap, radio, from: t, to: Infinity });
  }

  private disassociate(c: Client, t: number): void {
    const open = this.openSpan.get(c.mac);
    if (open) open.to = t;
    c.at = null;
    this.openSpan.delete(c.mac);
  }

  private readonly openSpan = new Map<string, { to: number }>();
}

function macFrom(rng: Rng, i: number): string {
  const oui = ['3c:22:fb', 'a4:83:e7', 'dc:a6:32', 'f0:18:98', '70:ee:50', '44:07:0b', 'b8:27:eb', '18:b4:30'][i % 8];
  return `${oui}:${hex2(rng.int(256))}:${hex2(rng.int(256))}:${hex2(i & 0xff)}`;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function hex16(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += hex2(rng.int(256)).toUpperCase();
  return s;
}

/** rsyslog RSYSLOG_FileFormat: `2024-09-04T08:00:01.123456+00:00` */
function isoStamp(t: number): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 23)}${String(Math.floor((t % 1) * 1000)).padStart(3, '0')}+00:00`;
}

/** RFC 3164: `Sep  4 08:00:01` */
function bsdStamp(t: number): string {
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
