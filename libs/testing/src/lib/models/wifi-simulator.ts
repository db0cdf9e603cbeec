// A deterministic WiFi log simulator: a small office of APs running hostapd (syslog to a collector), a dnsmasq DHCP
// server, a few laptops whose wpa_supplicant logs are collected too, per-station radio telemetry as JSON, and a lab
// AP that replays the real hostapd sample (data/wifi/hostapd_linuxrotuer.log). Station behaviour follows a working
// week: arrivals and departures, phones that sleep and wake, walking users who roam, idle timeouts at night, the
// occasional wrong password, NAK'd lease or AP restart. Link quality (drop %, throughput, jitter) is drawn from the
// real wireless-LQE rows (data/wifi/wireless_lqe) nearest the station's SNR. Incidents of six kinds can be injected on
// chosen APs and time spans; the result lists them as ground truth.
// Besides the station lifecycle, the APs write the rest of hostapd's normal vocabulary at the rates a network sees it
// (src/common/wpa_ctrl.h, src/ap/*.c): 802.1X/PEAP with RADIUS accounting for some laptops, `EAPOL-4WAY-HS-COMPLETED`
// on the APs with a newer hostapd, idle-station polls, the two-step inactivity timeout, daily group rekeys, DFS channel
// checks at start-up and the odd radar hit with its channel switch, ACS, 802.11v steering, WPS pairings, a RADIUS
// retransmission now and then, driver chatter, and a few lines a day no parser rule knows (vendor and debug prints),
// so that a model learns what rates of these are normal. Those extras draw from their own random stream, so the
// station lifecycle and the incidents stay what they were for a seed.
import { Rng, createRng } from '@loglens/training';

export const INCIDENT_TYPES = [
  'deauth-flood',
  'auth-failure-storm',
  'dhcp-outage',
  'rssi-collapse',
  'roaming-storm',
  'ap-flapping',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

/** An injected incident: which AP, when (epoch ms, end exclusive). */
export interface Incident {
  type: IncidentType;
  ap: string;
  start: number;
  end: number;
}

/** A real telemetry row of the wireless-LQE dataset, reduced to what the simulator borrows. */
export interface LinkSample {
  snr: number;
  packetDropPct: number;
  throughputBps: number;
  jitterMs: number;
}

export interface WifiSimOptions {
  seed: number;
  /** Epoch ms of the first line; default Monday 2024-06-03 00:00 UTC. */
  start?: number;
  durationMs: number;
  aps?: number;
  stations?: number;
  incidents?: Incident[];
  /** Real hostapd lines to replay on the lab AP (plain or `-t` prefixed; the prefix is replaced). */
  realHostapdLines?: readonly string[];
  /** Real link-quality rows to draw drop/throughput/jitter from. */
  linkSamples?: readonly LinkSample[];
}

export interface WifiSimResult {
  /** Log lines in time order (syslog lines and JSON telemetry records). */
  lines: string[];
  /** The AP names, in floor order (neighbours are adjacent). */
  aps: string[];
  /** The AP window key the parser gives each AP's events (`<host>/<interface>`). */
  apKeys: string[];
  incidents: Incident[];
  /** Year to give the parser: syslog times have none. */
  year: number;
}

/** Monday 2024-06-03 00:00 UTC. */
export const DEFAULT_SIM_START = Date.UTC(2024, 5, 3);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const IFACE = 'wlan0';
const SSID = 'corp';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type Role = 'phone' | 'laptop' | 'iot';

interface Station {
  mac: string;
  role: Role;
  home: number;
  /** Host name when the station's own wpa_supplicant log is collected. */
  clientHost?: string;
  ap: number | null;
  aid: number;
  ip: string;
  /** Link budget at home, dBm. */
  baseRssi: number;
  nextTelemetry: number;
  /** 802.1X (PEAP) with RADIUS accounting instead of the PSK */
  enterprise: boolean;
}

interface Scheduled {
  time: number;
  seq: number;
  run: () => void;
}

/** Runs the simulation and returns its lines and ground truth. */
export function simulateWifi(opts: WifiSimOptions): WifiSimResult {
  return new Simulation(opts).run();
}

class Simulation {
  private readonly rng: Rng;
  private readonly start: number;
  private readonly end: number;
  private readonly apNames: string[];
  private readonly bssids: string[];
  private readonly stations: Station[] = [];
  private readonly out: Array<{ time: number; seq: number; line: string }> = [];
  private readonly queue: Scheduled[] = [];
  private seq = 0;
  /** Simulated clock: the time of the task being run. */
  private current = 0;
  private readonly incidents: Incident[];
  private readonly apDown: boolean[];
  private readonly links: readonly LinkSample[];
  /** the random stream of the rare-but-normal vocabulary (kept apart: the lifecycle's draws do not move) */
  private readonly extra: Rng;

  constructor(private readonly opts: WifiSimOptions) {
    this.rng = createRng(opts.seed);
    this.extra = createRng(opts.seed * 2654435761 + 0x5eed);
    this.start = opts.start ?? DEFAULT_SIM_START;
    this.end = this.start + opts.durationMs;
    const apCount = opts.aps ?? 6;
    this.apNames = Array.from({ length: apCount }, (_, i) => `ap-${Math.floor(i / 2) + 1}f-${'ab'[i % 2]}`);
    this.bssids = this.apNames.map((_, i) => `02:1a:11:00:00:${hex2(i + 1)}`);
    this.apDown = this.apNames.map(() => false);
    this.incidents = [...(opts.incidents ?? [])].sort((a, b) => a.start - b.start);
    this.links = opts.linkSamples && opts.linkSamples.length > 0 ? [...opts.linkSamples].sort((a, b) => a.snr - b.snr) : [];
    const count = opts.stations ?? 120;
    for (let i = 0; i < count; i++) {
      const u = this.rng.next();
      const role: Role = u < 0.55 ? 'phone' : u < 0.88 ? 'laptop' : 'iot';
      this.stations.push({
        mac: `02:${hex2(0x50 + (i >> 8))}:${hex2(i & 0xff)}:${hex2(this.rng.int(256))}:${hex2(this.rng.int(256))}:${hex2(this.rng.int(256))}`,
        role,
        home: this.rng.int(apCount),
        clientHost: role === 'laptop' && i % 5 === 0 ? `laptop-${i}` : undefined,
        ap: null,
        aid: 0,
        ip: `10.20.${Math.floor(i / 200)}.${(i % 200) + 20}`,
        baseRssi: -42 - this.rng.next() * 30,
        nextTelemetry: 0,
        enterprise: role === 'laptop' && i % 2 === 0,
      });
    }
  }

  run(): WifiSimResult {
    this.apNames.forEach((_, a) => this.apStart(a, this.start + a * 1000));
    this.stations.forEach((s) => this.schedule(this.start + this.rng.next() * 20 * MINUTE, () => this.stationTick(s)));
    this.schedule(this.start + MINUTE, () => this.telemetryTick());
    for (let a = 0; a < this.apNames.length; a++) {
      // maintenance restart of each AP about every three days, at night
      for (let day = 0; this.start + day * 24 * HOUR < this.end; day++) {
        if (this.rng.next() < 0.33) this.schedule(this.start + day * 24 * HOUR + 3 * HOUR + this.rng.next() * HOUR, () => this.apRestart(a, 20_000));
      }
    }
    this.scheduleLabAp();
    this.scheduleVocabulary();
    for (const inc of this.incidents) this.scheduleIncident(inc);
    while (this.queue.length > 0) {
      const next = heapPop(this.queue);
      if (next.time >= this.end) break;
      this.current = next.time;
      next.run();
    }
    this.out.sort((a, b) => a.time - b.time || a.seq - b.seq);
    return {
      lines: this.out.filter((o) => o.time < this.end).map((o) => o.line),
      aps: this.apNames,
      apKeys: this.apNames.map((n) => `${n}/${IFACE}`),
      incidents: this.incidents,
      year: new Date(this.start).getUTCFullYear(),
    };
  }

  // ---- scheduling and output ---------------------------------------------------------------------------------

  private schedule(time: number, run: () => void): void {
    heapPush(this.queue, { time, seq: this.seq++, run });
  }

  private emit(time: number, line: string): void {
    this.out.push({ time, seq: this.seq++, line });
  }

  private hostapd(a: number, time: number, text: string): void {
    this.emit(time, `${syslogTime(time)} ${this.apNames[a]} hostapd: ${IFACE}: ${text}`);
  }

  private hostapdRaw(a: number, time: number, text: string): void {
    this.emit(time, `${syslogTime(time)} ${this.apNames[a]} hostapd: ${text}`);
  }

  private dnsmasq(time: number, text: string): void {
    this.emit(time, `${syslogTime(time)} gw dnsmasq-dhcp[812]: ${text}`);
  }

  private wpa(s: Station, time: number, text: string): void {
    if (s.clientHost) this.emit(time, `${syslogTime(time)} ${s.clientHost} wpa_supplicant[733]: ${IFACE}: ${text}`);
  }

  private activeIncident(type: IncidentType, a: number, time: number): Incident | undefined {
    return this.incidents.find((i) => i.type === type && i.ap === this.apNames[a] && time >= i.start && time < i.end);
  }

  // ---- APs ----------------------------------------------------------------------------------------------------

  private apStart(a: number, t: number): void {
    // the start-up sequence hostapd prints (compare data/wifi/hostapd_linuxrotuer.log)
    this.hostapdRaw(a, t, `Configuration file: /var/run/hostapd-phy0.conf`);
    this.hostapdRaw(a, t + 150, `Using interface ${IFACE} with hwaddr ${this.bssids[a]} and ssid "${SSID}"`);
    if (this.dfsAp(a)) {
      // a DFS channel: the channel availability check runs before the AP beacons (hostapd logs it at start-up)
      const f = 5000 + 5 * this.dfsChannel(a);
      this.hostapd(a, t + 200, 'interface state UNINITIALIZED->DFS');
      this.hostapd(a, t + 210, `DFS-CAC-START freq=${f} chan=${this.dfsChannel(a)} sec_chan=1, width=1, seg0=${this.dfsChannel(a) + 6}, seg1=0, cac_time=60s`);
      this.hostapd(a, t + 290, `DFS-CAC-COMPLETED success=1 freq=${f} ht_enabled=0 chan_offset=0 chan_width=3 cf1=${f + 30} cf2=0`);
      this.hostapd(a, t + 300, 'interface state DFS->ENABLED');
    } else if (a === 0) {
      // the first AP picks its channel itself (ACS)
      this.hostapd(a, t + 160, 'interface state UNINITIALIZED->ACS');
      this.hostapd(a, t + 170, 'ACS-STARTED ');
      this.hostapd(a, t + 280, 'ACS-COMPLETED freq=5180 channel=36');
      this.hostapd(a, t + 300, 'interface state ACS->ENABLED');
    } else this.hostapd(a, t + 300, 'interface state UNINITIALIZED->ENABLED');
    this.hostapd(a, t + 301, 'AP-ENABLED ');
    this.apDown[a] = false;
  }

  private apStop(a: number, t: number): Station[] {
    const dropped = this.stations.filter((s) => s.ap === a);
    for (const s of dropped) this.drop(s, t, 3, 'deauth');
    this.hostapd(a, t + 5, 'interface state ENABLED->DISABLED');
    this.hostapd(a, t + 6, 'AP-DISABLED ');
    this.hostapdRaw(a, t + 7, `nl80211: deinit ifname=${IFACE} disabled_11b_rates=0`);
    this.apDown[a] = true;
    return dropped;
  }

  private apRestart(a: number, downMs: number): void {
    const t = this.now();
    const dropped = this.apStop(a, t);
    this.schedule(t + downMs, () => this.apStart(a, this.now()));
    // clients do not wait: half move to a neighbour at once, the rest rejoin as soon as the AP beacons again
    for (const s of dropped) {
      const later = this.rng.next() < 0.5;
      const at = later ? t + downMs + 1000 + this.rng.next() * 9000 : t + 1000 + this.rng.next() * 4000;
      this.schedule(at, () => s.ap === null && this.connect(s, later ? a : this.neighbour(a), this.now()));
    }
  }

  private now(): number {
    return this.current;
  }

  // ---- stations -----------------------------------------------------------------------------------------------

  /** Probability that a station of this role wants to be online at this time (a working week, UTC office hours). */
  private presence(role: Role, t: number): number {
    if (role === 'iot') return 0.98;
    const d = new Date(t);
    const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
    const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
    const office = weekday && hour >= 8 && hour < 18 ? 1 : weekday && (hour >= 7 && hour < 8 || hour >= 18 && hour < 20) ? 0.4 : 0;
    return role === 'phone' ? 0.12 + 0.8 * office : 0.03 + 0.85 * office;
  }

  private stationTick(s: Station): void {
    const t = this.now();
    const want = this.rng.next() < this.presence(s.role, t);
    if (s.ap === null) {
      if (want) {
        const a = this.rng.next() < 0.8 ? s.home : this.neighbour(s.home);
        this.connect(s, a, t);
      }
    } else if (!want) {
      // leaving: phones drift out of range and time out, laptops close the lid (client disassociates)
      if (s.role === 'phone' && this.rng.next() < 0.5) this.drop(s, t, 4, 'inactivity');
      else this.drop(s, t, 8, 'disassoc');
    } else {
      const u = this.rng.next();
      const mobile = s.role === 'phone' ? 0.18 : s.role === 'laptop' ? 0.05 : 0;
      if (u < mobile) this.roam(s, this.neighbour(s.ap), t);
      else if (s.role === 'phone' && u < mobile + 0.08) {
        // power save: idle phone is timed out, wakes and reconnects a few minutes later
        const a = s.ap;
        this.drop(s, t, 4, 'inactivity');
        this.schedule(t + (2 + this.rng.next() * 10) * MINUTE, () => s.ap === null && this.connect(s, a, this.now()));
      }
    }
    const gap = s.role === 'iot' ? 60 * MINUTE : (8 + this.rng.next() * 30) * MINUTE;
    this.schedule(t + gap, () => this.stationTick(s));
  }

  private neighbour(a: number): number {
    const n = this.apNames.length;
    if (n === 1) return a;
    if (a === 0) return 1;
    if (a === n - 1) return n - 2;
    return this.rng.next() < 0.5 ? a - 1 : a + 1;
  }

  /** Authentication, association, key handshake and DHCP for a station arriving at AP a. */
  private connect(s: Station, a: number, t: number, roamedFrom?: number): void {
    if (this.apDown[a]) return;
    const storm = this.activeIncident('auth-failure-storm', a, t);
    // ~1% of arrivals start with a mistyped passphrase (or a stale 802.1X credential)
    if (storm || this.rng.next() < 0.01) {
      this.failedAttempt(s, a, t);
      if (storm) {
        this.schedule(t + (8 + this.rng.next() * 20) * 1000, () => s.ap === null && this.connect(s, a, this.now()));
        return;
      }
      // the failed exchange's last line (the deauth) comes 4.2 s in: the retry starts after it
      t += 5000 + this.rng.next() * 4000;
    }
    s.ap = a;
    s.aid = 1 + this.rng.int(60);
    this.wpa(s, t, `SME: Trying to authenticate with ${this.bssids[a]} (SSID='${SSID}' freq=5180 MHz)`);
    this.hostapd(a, t + 20, `STA ${s.mac} IEEE 802.11: authenticated`);
    this.wpa(s, t + 25, `Trying to associate with ${this.bssids[a]} (SSID='${SSID}' freq=5180 MHz)`);
    this.hostapd(a, t + 40, `STA ${s.mac} IEEE 802.11: associated (aid ${s.aid})`);
    this.wpa(s, t + 45, `Associated with ${this.bssids[a]}`);
    if (s.enterprise) {
      this.hostapd(a, t + 50, `CTRL-EVENT-EAP-STARTED ${s.mac}`);
      this.hostapd(a, t + 55, 'CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=25');
      this.wpa(s, t + 56, 'CTRL-EVENT-EAP-STARTED EAP authentication started');
      this.wpa(s, t + 58, 'CTRL-EVENT-EAP-METHOD EAP vendor 0 method 25 (PEAP) selected');
      this.hostapd(a, t + 80, `STA ${s.mac} IEEE 802.1X: authenticated - EAP type: 25 (PEAP)`);
      this.hostapd(a, t + 81, `CTRL-EVENT-EAP-SUCCESS2 ${s.mac}`);
      this.wpa(s, t + 82, 'CTRL-EVENT-EAP-SUCCESS EAP authentication completed successfully');
      this.wpa(s, t + 83, `PMKSA-CACHE-ADDED ${this.bssids[a]} 0`);
    }
    this.hostapd(a, t + 90, `AP-STA-CONNECTED ${s.mac}`);
    this.hostapd(a, t + 95, `STA ${s.mac} WPA: pairwise key handshake completed (RSN)`);
    // hostapd ≥ 2.10 also announces the completed handshake as a control event
    if (a % 2 === 0) this.hostapd(a, t + 96, `EAPOL-4WAY-HS-COMPLETED ${s.mac}`);
    if (s.enterprise) this.hostapd(a, t + 98, `STA ${s.mac} RADIUS: starting accounting session ${hex16(this.extra)}`);
    this.wpa(s, t + 96, `WPA: Key negotiation completed with ${this.bssids[a]} [PTK=CCMP GTK=CCMP]`);
    this.wpa(s, t + 97, `CTRL-EVENT-CONNECTED - Connection to ${this.bssids[a]} completed [id=0 id_str=]`);
    this.wpa(s, t + 98, 'CTRL-EVENT-SUBNET-STATUS-UPDATE status=0');
    if (roamedFrom === undefined) this.dhcp(s, a, t + 300);
    else {
      // a roaming client keeps its lease and only confirms it
      this.dnsmasq(t + 250, `DHCPREQUEST(br-lan) ${s.ip} ${s.mac}`);
      this.dnsmasq(t + 260, `DHCPACK(br-lan) ${s.ip} ${s.mac} ${s.role}-${s.mac.slice(-5, -3)}`);
    }
    s.nextTelemetry = t + this.rng.next() * 5 * MINUTE;
  }

  private failedAttempt(s: Station, a: number, t: number): void {
    this.hostapd(a, t + 20, `STA ${s.mac} IEEE 802.11: authenticated`);
    this.hostapd(a, t + 40, `STA ${s.mac} IEEE 802.11: associated (aid ${1 + this.rng.int(60)})`);
    const u = this.rng.next();
    if (u < 0.4) {
      this.hostapd(a, t + 1100, `AP-STA-POSSIBLE-PSK-MISMATCH ${s.mac}`);
      this.wpa(s, t + 1120, 'WPA: 4-Way Handshake failed - pre-shared key may be incorrect');
      this.wpa(s, t + 1130, `CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="${SSID}" auth_failures=1 duration=10 reason=WRONG_KEY`);
      this.hostapd(a, t + 1150, `STA ${s.mac} IEEE 802.11: deauthentication: STA=${s.mac} reason_code=2`);
    } else if (u < 0.75) {
      this.hostapd(a, t + 4100, `STA ${s.mac} WPA: EAPOL-Key timeout`);
      this.hostapd(a, t + 4150, `STA ${s.mac} IEEE 802.11: deauthentication: STA=${s.mac} reason_code=15`);
    } else {
      this.hostapd(a, t + 800, `CTRL-EVENT-EAP-STARTED ${s.mac}`);
      this.hostapd(a, t + 1600, `STA ${s.mac} IEEE 802.1X: authentication failed - EAP type: 25 (PEAP)`);
      this.hostapd(a, t + 1610, `CTRL-EVENT-EAP-FAILURE ${s.mac}`);
      this.wpa(s, t + 1620, 'CTRL-EVENT-EAP-FAILURE EAP authentication failed');
      this.hostapd(a, t + 1650, `STA ${s.mac} IEEE 802.11: deauthentication: STA=${s.mac} reason_code=23`);
    }
    this.hostapd(a, t + 4200, `STA ${s.mac} IEEE 802.11: deauthenticated due to local deauth request`);
  }

  private dhcp(s: Station, a: number, t: number): void {
    const name = `${s.role}-${s.mac.slice(-5, -3)}`;
    if (this.activeIncident('dhcp-outage', a, t)) {
      // the pool behind this AP's VLAN is gone: discovers go unanswered, the client gives up and reassociates
      for (let k = 0; k < 3; k++) this.dnsmasq(t + k * 3000, `DHCPDISCOVER(br-lan) ${s.mac} no address available`);
      this.wpa(s, t + 9500, 'CTRL-EVENT-DISCONNECTED bssid=' + this.bssids[a] + ' reason=3 locally_generated=1');
      this.hostapd(a, t + 9600, `STA ${s.mac} IEEE 802.11: disassociated`);
      this.hostapd(a, t + 9610, `AP-STA-DISCONNECTED ${s.mac}`);
      s.ap = null;
      this.schedule(t + (15 + this.rng.next() * 30) * 1000, () => s.ap === null && this.connect(s, a, this.now()));
      return;
    }
    this.dnsmasq(t, `DHCPDISCOVER(br-lan) ${s.mac}`);
    this.dnsmasq(t + 5, `DHCPOFFER(br-lan) ${s.ip} ${s.mac}`);
    this.dnsmasq(t + 30, `DHCPREQUEST(br-lan) ${s.ip} ${s.mac}`);
    if (this.rng.next() < 0.01) {
      // a stale lease from another network: NAK, then the normal exchange
      this.dnsmasq(t + 35, `DHCPNAK(br-lan) ${s.ip} ${s.mac} wrong network`);
      t += 2000;
      this.dnsmasq(t, `DHCPDISCOVER(br-lan) ${s.mac}`);
      this.dnsmasq(t + 30, `DHCPREQUEST(br-lan) ${s.ip} ${s.mac}`);
    }
    this.dnsmasq(t + 40, `DHCPACK(br-lan) ${s.ip} ${s.mac} ${name}`);
  }

  /** The station leaves its AP: `kind` decides which side ends it and how hostapd logs it. */
  private drop(s: Station, t: number, reason: number, kind: 'deauth' | 'disassoc' | 'inactivity'): void {
    const a = s.ap;
    if (a === null) return;
    if (kind === 'inactivity') {
      // ap_handle_timer: stations that do not answer the poll are disassociated first, deauthenticated a second later
      if (this.extra.next() < 0.5) this.hostapd(a, t - 1000, `STA ${s.mac} IEEE 802.11: disassociated due to inactivity`);
      this.hostapd(a, t, `STA ${s.mac} IEEE 802.11: deauthenticated due to inactivity (timer DEAUTH/REMOVE)`);
    }
    else if (kind === 'disassoc') this.hostapd(a, t, `STA ${s.mac} IEEE 802.11: disassociated`);
    // hostapd's debug line carries the reason code; its info twin (`deauthenticated`) would count the frame twice
    else this.hostapd(a, t, `STA ${s.mac} IEEE 802.11: deauthentication: STA=${s.mac} reason_code=${reason}`);
    this.hostapd(a, t + 10, `AP-STA-DISCONNECTED ${s.mac}`);
    this.wpa(s, t + 12, `CTRL-EVENT-DISCONNECTED bssid=${this.bssids[a]} reason=${reason}${kind === 'disassoc' ? ' locally_generated=1' : ''}`);
    if (s.enterprise) this.hostapd(a, t + 14, `STA ${s.mac} RADIUS: stopped accounting session ${hex16(this.extra)}`);
    s.ap = null;
  }

  private roam(s: Station, to: number, t: number): void {
    const from = s.ap;
    if (from === null || to === from || this.apDown[to]) return;
    // 802.11v: the old AP steered the client and logs its answer
    if (this.extra.next() < 0.3) {
      this.hostapd(from, t - 300, `BSS-TM-RESP ${s.mac} dialog_token=${1 + this.extra.int(250)} status_code=0 bss_termination_delay=0 target_bssid=${this.bssids[to]}`);
    }
    // make-before-break: the new AP logs the association, the old one the departure a moment later
    s.ap = null;
    this.connect(s, to, t, from);
    this.hostapd(from, t + 400, `STA ${s.mac} IEEE 802.11: disassociated`);
    this.hostapd(from, t + 410, `AP-STA-DISCONNECTED ${s.mac}`);
  }

  // ---- the rest of the normal vocabulary -------------------------------------------------------------------------

  /** APs 2–5 run on DFS channels (52–64), AP 0 picks its channel by ACS, AP 1 has a fixed one. */
  private dfsAp(a: number): boolean {
    return a >= 2;
  }

  private dfsChannel(a: number): number {
    return 52 + 4 * ((a - 2) % 4);
  }

  private scheduleVocabulary(): void {
    const days = Math.ceil((this.end - this.start) / (24 * HOUR));
    for (let a = 0; a < this.apNames.length; a++) {
      for (let day = 0; day < days; day++) {
        const dayStart = this.start + day * 24 * HOUR;
        // wpa_group_rekey=86400: once a day every associated station runs the group key handshake
        this.schedule(dayStart + 12 * HOUR + a * 7 * MINUTE, () => this.groupRekey(a));
        // radar on a DFS channel every week or so: the AP moves to a non-DFS channel, the clients follow
        if (this.dfsAp(a) && this.extra.next() < 0.15) this.schedule(dayStart + this.extra.next() * 24 * HOUR, () => this.radar(a));
        // a WPS push-button pairing (printer, TV) now and then
        if (this.extra.next() < 0.08) this.schedule(dayStart + (8 + this.extra.next() * 9) * HOUR, () => this.wpsPairing(a));
        // the RADIUS server answers late once or twice a day: hostapd retransmits
        if (this.extra.next() < 0.4) this.schedule(dayStart + this.extra.next() * 24 * HOUR, () => this.radiusRetransmit(a));
        // idle stations answering hostapd's poll, through the day
        for (let k = this.extra.int(6); k > 0; k--) this.schedule(dayStart + this.extra.next() * 24 * HOUR, () => this.pollIdle(a));
        // lines no parser rule knows: vendor and debug prints, a few a day, sometimes a handful at once
        for (let k = this.extra.int(5); k > 0; k--) {
          const at = dayStart + this.extra.next() * 24 * HOUR;
          const burst = this.extra.next() < 0.2 ? 2 + this.extra.int(5) : 1;
          for (let b = 0; b < burst; b++) this.schedule(at + b * 700, () => this.vendorLine(a));
        }
      }
    }
    // laptops whose own log is collected scan now and then
    for (const s of this.stations) {
      if (!s.clientHost) continue;
      for (let t = this.start + this.extra.next() * 4 * HOUR; t < this.end; t += (1 + this.extra.next() * 5) * HOUR) {
        this.schedule(t, () => this.clientScan(s));
      }
    }
  }

  private groupRekey(a: number): void {
    const t = this.now();
    for (const s of this.stations) if (s.ap === a) this.hostapd(a, t + 50 + this.extra.next() * 400, `STA ${s.mac} WPA: group key handshake completed (RSN)`);
  }

  private radar(a: number): void {
    if (this.apDown[a]) return;
    const t = this.now();
    const f = 5000 + 5 * this.dfsChannel(a);
    this.hostapd(a, t, `DFS-RADAR-DETECTED freq=${f} ht_enabled=0 chan_offset=0 chan_width=3 cf1=${f + 30} cf2=0`);
    this.hostapd(a, t + 20, 'DFS-NEW-CHANNEL freq=5180 chan=36 sec_chan=1');
    this.hostapd(a, t + 30, 'CTRL-EVENT-STARTED-CHANNEL-SWITCH freq=5180 ht_enabled=1 ch_offset=1 ch_width=80 MHz cf1=5210 cf2=0 dfs=0');
    this.hostapd(a, t + 300, 'AP-CSA-FINISHED freq=5180 dfs=0');
    this.hostapd(a, t + 30 * MINUTE, `DFS-NOP-FINISHED freq=${f} ht_enabled=0 chan_offset=0 chan_width=3 cf1=${f + 30} cf2=0`);
  }

  private wpsPairing(a: number): void {
    if (this.apDown[a]) return;
    const t = this.now();
    const mac = `02:99:${hex2(a)}:${hex2(this.extra.int(256))}:${hex2(this.extra.int(256))}:${hex2(this.extra.int(256))}`;
    const uuid = `9a3c1d2e-55aa-4c1b-8e00-${mac.replace(/:/g, '')}`;
    this.hostapd(a, t, 'WPS-PBC-ACTIVE ');
    this.hostapd(a, t + 20_000, `WPS-ENROLLEE-SEEN ${mac} ${uuid} 3-0050F204-1 0x4388 0 1 [MFP-Office]`);
    this.hostapd(a, t + 20_500, `STA ${mac} IEEE 802.11: authenticated`);
    this.hostapd(a, t + 20_540, `STA ${mac} IEEE 802.11: associated (aid ${1 + this.extra.int(60)})`);
    this.hostapd(a, t + 20_600, `CTRL-EVENT-EAP-STARTED ${mac}`);
    this.hostapd(a, t + 22_000, `WPS-REG-SUCCESS ${mac} ${uuid}`);
    this.hostapd(a, t + 22_010, 'WPS-PBC-DISABLE ');
    this.hostapd(a, t + 22_020, 'WPS-SUCCESS ');
    // the enrollee leaves the WPS exchange with an EAP-Failure by design, then joins with its new credential
    this.hostapd(a, t + 22_100, `CTRL-EVENT-EAP-FAILURE ${mac}`);
    this.hostapd(a, t + 22_200, `STA ${mac} IEEE 802.11: deauthenticated due to local deauth request`);
    this.hostapd(a, t + 25_000, `STA ${mac} IEEE 802.11: authenticated`);
    this.hostapd(a, t + 25_040, `STA ${mac} IEEE 802.11: associated (aid ${1 + this.extra.int(60)})`);
    this.hostapd(a, t + 25_090, `AP-STA-CONNECTED ${mac}`);
    this.hostapd(a, t + 25_095, `STA ${mac} WPA: pairwise key handshake completed (RSN)`);
  }

  private radiusRetransmit(a: number): void {
    const s = this.stations.find((x) => x.ap === a && x.enterprise);
    if (!s) return;
    const t = this.now();
    this.hostapd(a, t, `STA ${s.mac} RADIUS: Resending RADIUS message (id=${this.extra.int(256)})`);
    if (this.extra.next() < 0.3) this.hostapd(a, t + 3000, `STA ${s.mac} RADIUS: Resending RADIUS message (id=${this.extra.int(256)})`);
  }

  private pollIdle(a: number): void {
    const idle = this.stations.filter((s) => s.ap === a && s.role === 'iot');
    if (idle.length === 0) return;
    const s = idle[this.extra.int(idle.length)];
    this.hostapd(a, this.now(), `AP-STA-POLL-OK ${s.mac}`);
  }

  private vendorLine(a: number): void {
    const texts = [
      () => `sta_info: ${this.extra.int(40)} entries, ${this.extra.int(9)} in power save`,
      () => `qca_vendor: txpower limit ${14 + this.extra.int(10)} dBm applied`,
      () => `hostapd_cli: event monitor ${this.extra.int(3) === 0 ? 'attached' : 'detached'}`,
      () => `bsscoloring: color ${1 + this.extra.int(63)} kept`,
      () => `wmm_ac: queue ${['BE', 'BK', 'VI', 'VO'][this.extra.int(4)]} params refreshed`,
    ];
    this.hostapd(a, this.now(), texts[this.extra.int(texts.length)]());
  }

  private clientScan(s: Station): void {
    if (!s.clientHost) return;
    const t = this.now();
    this.wpa(s, t, 'CTRL-EVENT-SCAN-STARTED ');
    this.wpa(s, t + 2500, 'CTRL-EVENT-SCAN-RESULTS ');
    for (let k = this.extra.int(4); k > 0; k--) this.wpa(s, t + 2500 + k, `CTRL-EVENT-BSS-ADDED ${10 + k} ${this.bssids[this.extra.int(this.bssids.length)]}`);
    if (this.extra.next() < 0.3) {
      this.wpa(s, t + 2600, `CTRL-EVENT-SIGNAL-CHANGE above=1 signal=${Math.round(s.baseRssi)} noise=-93 txrate=390000`);
    }
  }

  // ---- telemetry ----------------------------------------------------------------------------------------------

  private telemetryTick(): void {
    const t = this.now();
    for (const s of this.stations) {
      if (s.ap === null || t < s.nextTelemetry) continue;
      s.nextTelemetry = t + 5 * MINUTE;
      const collapse = this.activeIncident('rssi-collapse', s.ap, t);
      const away = s.ap === s.home ? 0 : 8;
      const rssi = Math.round(s.baseRssi - away + this.gauss() * 3 - (collapse ? 22 + this.rng.next() * 8 : 0));
      const noise = Math.round(-93 + this.gauss() + (collapse ? 10 : 0));
      const snr = rssi - noise;
      const link = this.linkFor(snr);
      const retries = Math.max(0, Math.round((collapse ? 25 : 2) + this.gauss() * (collapse ? 8 : 1.5)));
      this.emit(
        t,
        JSON.stringify({
          ts: Math.round(t / 1000),
          bssid: this.bssids[s.ap],
          station: s.mac,
          rssi,
          snr,
          noise,
          retries,
          packet_drop_pct: round3(link.packetDropPct),
          throughput_bps: Math.round(link.throughputBps),
          jitter_ms: round3(link.jitterMs),
        }),
      );
      if (s.clientHost && (collapse || this.rng.next() < 0.1)) {
        this.wpa(s, t + 5, `CTRL-EVENT-SIGNAL-CHANGE above=${rssi > -70 ? 1 : 0} signal=${rssi} noise=${noise} txrate=${collapse ? 6500 : 390000}`);
        if (collapse && this.rng.next() < 0.5) this.wpa(s, t + 8, 'CTRL-EVENT-BEACON-LOSS');
      }
      if (collapse && this.rng.next() < 0.25) {
        // a station on the dying channel gives up: poor-channel deauth, then back (or to a neighbour) shortly after
        const a = s.ap;
        this.drop(s, t + 20, 34, 'deauth');
        this.schedule(t + (20 + this.rng.next() * 60) * 1000, () => s.ap === null && this.connect(s, this.rng.next() < 0.5 ? a : this.neighbour(a), this.now()));
      }
    }
    this.schedule(t + MINUTE, () => this.telemetryTick());
  }

  /** A real link-quality row with an SNR near this one (or a plain model without real rows). */
  private linkFor(snr: number): LinkSample {
    if (this.links.length === 0) {
      const good = Math.min(1, Math.max(0, (snr - 5) / 25));
      return { snr, packetDropPct: (1 - good) * 40, throughputBps: 1e7 * (0.3 + 0.7 * good), jitterMs: 1 + (1 - good) * 20 };
    }
    // nearest SNR by binary search, then one of the 8 rows around it at random
    let lo = 0;
    let hi = this.links.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.links[mid].snr < snr) lo = mid + 1;
      else hi = mid;
    }
    const i = Math.min(this.links.length - 1, Math.max(0, lo - 4 + this.rng.int(8)));
    return this.links[i];
  }

  private gauss(): number {
    return Math.sqrt(-2 * Math.log(1 - this.rng.next())) * Math.cos(2 * Math.PI * this.rng.next());
  }

  // ---- the lab AP: real hostapd lines ------------------------------------------------------------------------

  private scheduleLabAp(): void {
    const real = (this.opts.realHostapdLines ?? []).map((l) => l.replace(/^\d+\.\d+: /, ''));
    // replay the real log's station sessions (from AP-ENABLED to AP-DISABLED around a STA line) and its ACL denials
    const episodes: string[][] = [];
    let current: string[] = [];
    for (const line of real) {
      current.push(line);
      if (/AP-DISABLED|wasn't started/.test(line)) {
        // the sample's beacon-failure cycles (INTERFACE-DISABLED/ENABLED ten times over) are a flapping AP, an
        // incident rather than normal behaviour: episodes containing them are not replayed as normal traffic
        const flapping = current.some((l) => /Failed to set beacon/.test(l));
        if (!flapping && current.some((l) => /STA |not allowed/.test(l))) {
          episodes.push(current.filter((l) => !/^Configuration file|^Could not|^nl80211|^hostapd_free/.test(l)));
        }
        current = [];
      }
    }
    if (episodes.length === 0) return;
    for (let t = this.start + 2 * HOUR; t < this.end; t += (6 + this.rng.next() * 10) * HOUR) {
      const episode = episodes[this.rng.int(episodes.length)];
      let at = t;
      for (const line of episode) {
        this.emit(at, `${syslogTime(at)} lab-ap hostapd: ${line}`);
        at += 200 + this.rng.next() * 3000;
      }
    }
  }

  // ---- incidents ----------------------------------------------------------------------------------------------

  private scheduleIncident(inc: Incident): void {
    const a = this.apNames.indexOf(inc.ap);
    if (a < 0) throw new RangeError(`no AP named ${inc.ap}`);
    switch (inc.type) {
      case 'deauth-flood':
        // spoofed deauthentication frames: connected clients are kicked off and reconnect, unknown MACs churn
        for (let t = inc.start; t < inc.end; t += 1500 + this.rng.next() * 2500) {
          this.schedule(t, () => {
            const victims = this.stations.filter((s) => s.ap === a);
            const now = this.now();
            if (victims.length > 0 && this.rng.next() < 0.7) {
              const s = victims[this.rng.int(victims.length)];
              this.drop(s, now, 7, 'deauth');
              this.schedule(now + 2000 + this.rng.next() * 4000, () => s.ap === null && this.connect(s, a, this.now()));
            } else {
              const fake = `02:de:ad:${hex2(this.rng.int(256))}:${hex2(this.rng.int(256))}:${hex2(this.rng.int(256))}`;
              this.hostapd(a, now, `STA ${fake} IEEE 802.11: deauthentication: STA=${fake} reason_code=6`);
            }
          });
        }
        break;
      case 'auth-failure-storm':
        // a broken RADIUS back end / rotated PSK: stations on the AP fail and retry; arrivals fail in connect()
        this.schedule(inc.start, () => {
          for (const s of this.stations.filter((x) => x.ap === a)) {
            if (this.rng.next() < 0.6) {
              this.drop(s, this.now() + this.rng.next() * 60_000, 2, 'deauth');
              this.schedule(this.now() + 65_000 + this.rng.next() * 30_000, () => s.ap === null && this.connect(s, a, this.now()));
            }
          }
        });
        for (let t = inc.start; t < inc.end; t += 4000 + this.rng.next() * 6000) {
          // devices that are not on the AP yet keep trying too
          this.schedule(t, () => {
            const s = this.stations[this.rng.int(this.stations.length)];
            if (s.ap === null) this.failedAttempt(s, a, this.now());
          });
        }
        break;
      case 'dhcp-outage':
        // renewals fail too: every station on the AP runs into the empty pool within a few minutes
        this.schedule(inc.start, () => {
          for (const s of this.stations.filter((x) => x.ap === a)) this.schedule(this.now() + this.rng.next() * 4 * MINUTE, () => s.ap === a && this.dhcp(s, a, this.now()));
        });
        break;
      case 'rssi-collapse':
        break; // telemetryTick degrades the AP's stations while the incident lasts
      case 'roaming-storm': {
        // overlapping cells with aggressive steering: stations ping-pong between the AP and a neighbour
        const b = this.neighbour(a);
        for (let t = inc.start; t < inc.end; t += 2000 + this.rng.next() * 4000) {
          this.schedule(t, () => {
            const movers = this.stations.filter((s) => s.ap === a || s.ap === b);
            if (movers.length === 0) return;
            const s = movers[this.rng.int(movers.length)];
            this.roam(s, s.ap === a ? b : a, this.now());
          });
        }
        break;
      }
      case 'ap-flapping':
        for (let t = inc.start; t < inc.end; t += 50_000 + this.rng.next() * 70_000) {
          this.schedule(t, () => {
            if (!this.apDown[a]) this.apRestart(a, 15_000 + this.rng.next() * 20_000);
          });
        }
        break;
    }
  }
}

function heapPush(h: Scheduled[], item: Scheduled): void {
  h.push(item);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (before(h[p], h[i])) break;
    [h[p], h[i]] = [h[i], h[p]];
    i = p;
  }
}

function heapPop(h: Scheduled[]): Scheduled {
  const top = h[0];
  const last = h.pop() as Scheduled;
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l], h[m])) m = l;
      if (r < h.length && before(h[r], h[m])) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
  return top;
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function hex16(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += hex2(rng.int(256)).toUpperCase();
  return out;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** RFC 3164 time: `Jun  3 08:00:01` (UTC). */
export function syslogTime(t: number): string {
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
