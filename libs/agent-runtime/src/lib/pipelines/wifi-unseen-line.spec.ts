// The shipped wifi-anomaly model, trained as `npm start` trains it, scoring windows the WiFi agent's pipeline builds:
// a line type no rule knows, once in a window, never makes that window anomalous.
import { workspaceRoot } from '@loglens/testing';
// the default models' recipes and the WiFi simulator: @loglens/testing/models (shared with tools/)
import { trainWifiAnomaly, loadWifiSamples, simulateWifi, syslogTime } from '@loglens/testing/models';
import type { ClosedWindow } from '../pipeline';
import { WifiPipeline } from './wifi-pipeline';

const DAY = 24 * 3600_000;

/** Windows of `lines` as the agent builds them, by `key@start`. */
function windows(lines: readonly string[]): Map<string, ClosedWindow> {
  const p = new WifiPipeline();
  lines.forEach((message, i) => p.add(i, { message, time: null, source: 'site' }));
  return new Map(p.flushAll().map((w) => [`${w.key}@${w.start}`, w]));
}

describe('wifi-anomaly and a never-seen line type', () => {
  const root = workspaceRoot();
  const { model, detector } = trainWifiAnomaly({ root });
  const threshold = model.metadata.threshold;
  // a normal simulated day the model did not train on (another seed)
  const sim = simulateWifi({ seed: 4242, start: Date.UTC(2024, 5, 10), durationMs: DAY, ...realSamples(root) });
  // the same ordering with and without the extra lines (merge sorts by second; the simulator by millisecond)
  const plain = windows(merge(sim.lines, [], sim.year));

  it('leaves every window of a normal day as it was when one unknown-but-normal line joins it', () => {
    // one line of a type no parser rule knows, in every AP's every window, 90 s in
    const novel: Array<{ t: number; line: string }> = [];
    for (const w of plain.values()) {
      if (!sim.apKeys.includes(w.key)) continue;
      const [host, iface] = w.key.split('/');
      const t = w.start + 90_000;
      novel.push({ t, line: `${syslogTime(t)} ${host} hostapd: ${iface}: XFW-LINKSTAT-REPORT airtime=37 txq=4 mode=he80` });
    }
    expect(novel.length).toBeGreaterThan(1000);
    const withNovel = windows(merge(sim.lines, novel, sim.year));
    const keys = [...plain.keys()].filter((k) => sim.apKeys.includes(plain.get(k)?.key ?? ''));
    const before = detector.score(keys.map((k) => plain.get(k)?.features ?? []));
    const after = detector.score(keys.map((k) => withNovel.get(k)?.features ?? []));
    const flipped = keys.filter((_, i) => before[i] < threshold && after[i] >= threshold);
    expect(flipped).toEqual([]);
    // where it is the window's only unknown line, the row the model sees is exactly the one it saw without it
    const unrecognised = new WifiPipeline().featureNames.indexOf('unrecognised_log2');
    const alone = keys.filter((k) => plain.get(k)?.features[unrecognised] === 0 && withNovel.get(k)?.features[unrecognised] === 0);
    expect(alone.length).toBeGreaterThan(0.9 * keys.length);
    for (const k of alone) expect(withNovel.get(k)?.features).toEqual(plain.get(k)?.features);
  });

  it('scores a window holding nothing but such a line as normal', () => {
    const t = Date.UTC(2024, 5, 10, 3, 0, 30);
    const only = windows([`${syslogTime(t)} ap-9 hostapd: wlan0: XFW-LINKSTAT-REPORT airtime=37 txq=4 mode=he80`]);
    const [w] = [...only.values()];
    expect(w.members).toHaveLength(1);
    expect(detector.score([w.features])[0]).toBeLessThan(threshold);
  });

  it('does flag a window where lines no rule knows pour in far beyond the learned rate', () => {
    const t0 = Date.UTC(2024, 5, 10, 3);
    const flood = Array.from({ length: 3000 }, (_, i) => `${syslogTime(t0 + i * 90)} ap-9 hostapd: wlan0: XFW-LINKSTAT-REPORT airtime=${i % 90} txq=4`);
    // 4.5 minutes from 03:00: one window (syslog stamps carry no year, so its start is in the parser's year)
    const all = [...windows(flood).values()];
    expect(all.map((w) => w.members.length)).toEqual([flood.length]);
    expect(detector.score([all[0].features])[0]).toBeGreaterThanOrEqual(threshold);
  });
});

function realSamples(root: string): { realHostapdLines: string[]; linkSamples: ReturnType<typeof loadWifiSamples>['linkSamples'] } {
  const s = loadWifiSamples(root);
  return { realHostapdLines: s.hostapdLines, linkSamples: s.linkSamples };
}

/** Inserts timed lines into a time-ordered simulator log (syslog times have no year: compare by the given times). */
function merge(lines: readonly string[], extra: ReadonlyArray<{ t: number; line: string }>, year: number): string[] {
  const month = (m: string) => ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m);
  const timeOf = (line: string): number => {
    if (line.startsWith('{')) return (JSON.parse(line) as { ts: number }).ts * 1000;
    const [, mon, day, hh, mm, ss] = /^([A-Z][a-z]{2}) +(\d+) (\d\d):(\d\d):(\d\d)/.exec(line) ?? [];
    return Date.UTC(year, month(mon), Number(day), Number(hh), Number(mm), Number(ss));
  };
  return [...lines.map((line) => ({ t: timeOf(line), line })), ...extra].sort((a, b) => a.t - b.t).map((x) => x.line);
}
