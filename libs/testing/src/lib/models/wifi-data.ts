// WiFi training/evaluation rows: the simulator's lines (with the real samples of data/wifi mixed in) parsed by
// @loglens/log-parsing and windowed per AP by @loglens/features, exactly as an agent would.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FeatureRow, wifiFeatureRows } from '@loglens/features';
import { WifiLogParser, parseCsv } from '@loglens/log-parsing';
import { Incident, LinkSample, WifiSimResult, simulateWifi } from './wifi-simulator';

export const WIFI_WINDOW_MS = 5 * 60_000;
const DAY = 24 * 3600_000;

/** The real samples the simulator mixes in. */
export interface WifiSamples {
  hostapdLines: string[];
  linkSamples: LinkSample[];
}

/** Reads data/wifi's real hostapd log and wireless-LQE rows. */
export function loadWifiSamples(root: string): WifiSamples {
  const dir = path.join(root, 'data/wifi');
  const hostapdLines = readFileSync(path.join(dir, 'hostapd_linuxrotuer.log'), 'utf8').split('\n').filter((l) => l.length > 0);
  const linkSamples: LinkSample[] = [];
  for (const file of ['s1_s4_head600.csv', 's3_s1_head600.csv']) {
    const [header, ...rows] = parseCsv(readFileSync(path.join(dir, 'wireless_lqe', file), 'utf8'));
    const at = (name: string): number => {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`${file}: no column ${name}`);
      return i;
    };
    const [snr, drop, bps, jitter] = ['receiver_sender_SNR', 'packet_drop_percentage', 'bits_per_second', 'jitter_ms'].map(at);
    for (const r of rows) {
      linkSamples.push({ snr: Number(r[snr]), packetDropPct: Number(r[drop]), throughputBps: Number(r[bps]), jitterMs: Number(r[jitter]) });
    }
  }
  return { hostapdLines, linkSamples };
}

/** Simulated days → parsed events → per-AP 5-minute windows. */
export function simulateWifiRows(opts: {
  seed: number;
  days: number;
  samples: WifiSamples;
  incidents?: Incident[];
  start?: number;
}): { sim: WifiSimResult; rows: FeatureRow[] } {
  const sim = simulateWifi({
    seed: opts.seed,
    start: opts.start,
    durationMs: opts.days * DAY,
    incidents: opts.incidents,
    realHostapdLines: opts.samples.hostapdLines,
    linkSamples: opts.samples.linkSamples,
  });
  const parser = new WifiLogParser({ year: sim.year });
  const rows = wifiFeatureRows(
    sim.lines.map((l) => parser.parse(l)),
    { by: 'ap', sizeMs: WIFI_WINDOW_MS },
  );
  return { sim, rows };
}
