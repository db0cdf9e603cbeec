// Section 4 of docs/quality.md (npm run eval): the shipped wifi-anomaly model on simulated incidents, and its
// false-alarm share on normal traffic from two generators: the simulator it was trained on (other seeds) and the
// independently designed field-style generator (tools/sim/field-wifi-generator.ts) it never saw.
import * as ort from 'onnxruntime-node';
import { FeatureRow, WIFI_FEATURE_SCHEMA, wifiFeatureRows } from '@loglens/features';
import { WifiLogParser } from '@loglens/log-parsing';
import { createRng } from '@loglens/training';
import { trainWifiAnomaly, TrainedDetector, WIFI_WINDOW_MS, loadWifiSamples, simulateWifiRows, DEFAULT_SIM_START, INCIDENT_TYPES, Incident, IncidentType } from '@loglens/testing/models';
import { workspaceRoot } from '@loglens/testing/workspace';
import { FIELD_DEFAULT_START, generateFieldWifi } from '../sim/field-wifi-generator';

const DAY = 24 * 3600_000;
const MINUTE = 60_000;
const INCIDENT_MINUTES = 15;
const SCENARIO_DAYS = 3;
const INCIDENTS_PER_TYPE = 10;
/** Days of each normal-traffic run that measures false alarms. */
export const FALSE_ALARM_DAYS = 7;
export const FIELD_SEEDS = [1, 2, 3] as const;
export const QUIET_SIM_SEEDS = [3000, 3001, 3002] as const;
const f3 = (x: number): string => x.toFixed(3);
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

async function scoreOnnx(bytes: Uint8Array, rows: readonly (readonly number[])[]): Promise<number[]> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const width = rows[0]?.length ?? 0;
    const { score } = await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, width]) });
    return Array.from(score.data as Float32Array);
  } finally {
    await session.release();
  }
}

/** Field-style normal logs → parsed → per-radio 5-minute windows; `inject` adds `perWindow` lines per radio and window. */
export function fieldRows(
  seed: number,
  days: number,
  inject?: (radioKey: string, t: number) => string,
  perWindow = 1,
): { rows: FeatureRow[]; lines: number } {
  const field = generateFieldWifi({ seed, durationMs: days * DAY });
  let lines = field.lines;
  if (inject) {
    const extra: Array<{ t: number; line: string }> = [];
    const t0 = FIELD_DEFAULT_START;
    const step = WIFI_WINDOW_MS / perWindow;
    for (let t = t0 + 30_000; t < t0 + days * DAY; t += step) for (const k of field.radioKeys) extra.push({ t, line: inject(k, t) });
    // the field lines are time-ordered; merge the injected ones by time (ISO and syslog stamps both sort by `t`)
    lines = mergeByTime(field.lines, extra, field.year);
  }
  const parser = new WifiLogParser({ year: field.year });
  return { rows: wifiFeatureRows(lines.map((l) => parser.parse(l)), { by: 'ap', sizeMs: WIFI_WINDOW_MS }), lines: lines.length };
}

function mergeByTime(lines: string[], extra: Array<{ t: number; line: string }>, year: number): string[] {
  const parser = new WifiLogParser({ year });
  const timed = lines.map((line) => ({ t: parser.parse(line).time ?? 0, line }));
  return [...timed, ...extra].sort((a, b) => a.t - b.t).map((x) => x.line);
}

/** Which column pushed a flagged window furthest beyond the training range (the range guard's view). */
function culprit(vector: readonly number[], lower: readonly number[], upper: readonly number[]): string {
  let best = 'inside the training range (isolation only)';
  let most = 0;
  vector.forEach((v, j) => {
    const scale = upper[j] > lower[j] ? upper[j] - lower[j] : 1;
    const beyond = Math.max(v - upper[j], lower[j] - v, 0) / scale;
    if (beyond > most) {
      most = beyond;
      best = WIFI_FEATURE_SCHEMA.features[j].name;
    }
  });
  return best;
}

export async function evaluateWifi(root: string, parity: Array<{ model: string; maxAbsDiff: number }>): Promise<string> {
  const { model, detector } = trainWifiAnomaly({ root });
  const threshold = model.metadata.threshold;
  const samples = loadWifiSamples(root);
  const score = async (rows: FeatureRow[]): Promise<number[]> => scoreOnnx(model.onnx, rows.map((r) => r.vector));
  const training = simulateWifiRows({ seed: 1, days: 5, samples }).rows.map((r) => r.vector);
  const lower = WIFI_FEATURE_SCHEMA.features.map((_, j) => Math.min(...training.map((r) => r[j])));
  const upper = WIFI_FEATURE_SCHEMA.features.map((_, j) => Math.max(...training.map((r) => r[j])));
  const lines: string[] = [];
  let totalDetected = 0;
  for (const [k, type] of INCIDENT_TYPES.entries()) {
    const incidents = scheduleIncidents(type, 1000 + k);
    const { sim, rows } = simulateWifiRows({ seed: 2000 + k, days: SCENARIO_DAYS, samples, incidents });
    const scores = await score(rows);
    const apIndex = (key: string): number => sim.apKeys.indexOf(key);
    let detected = 0;
    const delays: number[] = [];
    for (const inc of sim.incidents) {
      const target = `${inc.ap}/wlan0`;
      const hits = rows
        .map((r, i) => ({ r, s: scores[i] }))
        .filter(({ r, s }) => r.key === target && r.start < inc.end && r.end > inc.start && s >= threshold)
        .sort((a, b) => a.r.end - b.r.end);
      if (hits.length > 0) {
        detected++;
        delays.push((hits[0].r.end - inc.start) / MINUTE);
      }
    }
    // normal windows: everything except the incident's AP and its floor neighbours around the incident
    let fp = 0;
    let negatives = 0;
    rows.forEach((r, i) => {
      const near = sim.incidents.some((inc) => {
        const during = r.start < inc.end + 2 * WIFI_WINDOW_MS && r.end > inc.start - WIFI_WINDOW_MS;
        // the DHCP server's own window (`gw`) rightly sees a DHCP outage too
        if (r.key === 'gw') return during && inc.type === 'dhcp-outage';
        const a = apIndex(`${inc.ap}/wlan0`);
        const b = apIndex(r.key);
        return during && b >= 0 && Math.abs(a - b) <= 1;
      });
      if (near) return;
      negatives++;
      if (scores[i] >= threshold) fp++;
    });
    totalDetected += detected;
    const meanDelay = delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : NaN;
    lines.push(
      `| ${type} | ${sim.incidents.length} | ${detected} | **${f3(detected / sim.incidents.length)}** | ${Number.isFinite(meanDelay) ? meanDelay.toFixed(1) : '–'} | ${pct(fp / negatives)} (${fp}/${negatives}) |`,
    );
  }

  // false alarms on normal traffic: the simulator (seeds it was not trained on) and the field-style generator
  const falseAlarms: string[] = [];
  const culprits = new Map<string, number>();
  const tally = async (
    label: string,
    runs: Array<{ seed: number; rows: FeatureRow[]; lines: number }>,
    note: string,
    explain = true,
  ): Promise<number> => {
    let windows = 0;
    let flagged = 0;
    const perSeed: string[] = [];
    for (const run of runs) {
      const scores = await score(run.rows);
      const f = scores.filter((s) => s >= threshold).length;
      run.rows.forEach((r, i) => {
        if (scores[i] < threshold || !explain) return;
        const key = `${label.split(' (')[0]}: ${culprit(r.vector, lower, upper)}`;
        culprits.set(key, (culprits.get(key) ?? 0) + 1);
      });
      windows += run.rows.length;
      flagged += f;
      perSeed.push(`seed ${run.seed}: ${f}/${run.rows.length}`);
    }
    falseAlarms.push(`| ${label} | ${note} | ${runs.reduce((n, r) => n + r.lines, 0).toLocaleString('en-US')} | ${windows.toLocaleString('en-US')} | ${flagged} | **${pct(flagged / windows)}** | ${perSeed.join(', ')} |`);
    return flagged;
  };
  const quietRuns = QUIET_SIM_SEEDS.map((seed) => {
    const q = simulateWifiRows({ seed, days: FALSE_ALARM_DAYS, samples });
    return { seed, rows: q.rows, lines: q.sim.lines.length };
  });
  await tally('simulator (libs/testing/src/lib/models/wifi-simulator.ts)', quietRuns, `6 APs × 1 radio, office week, ${FALSE_ALARM_DAYS} days per seed`);
  const fieldRuns = FIELD_SEEDS.map((seed) => ({ seed, ...fieldRows(seed, FALSE_ALARM_DAYS) }));
  const fieldFlagged = await tally('field-style (tools/sim/field-wifi-generator.ts)', fieldRuns, `8 APs × 2 radios, residential/campus, ${FALSE_ALARM_DAYS} days per seed`);
  const injectedFlagged: number[] = [];
  // the same field traffic with a never-seen line type in every radio's every window: once, and once a minute
  const novel = (key: string, t: number): string =>
    `${new Date(t).toISOString().slice(0, 23)}000+00:00 ${key.split('/')[0]} hostapd[1]: ${key.split('/')[1]}: XFW-LINKSTAT-REPORT airtime=${Math.floor(t / 1000) % 97} txq=${Math.floor(t / 7000) % 13}`;
  for (const perWindow of [1, 5]) {
    const injected = FIELD_SEEDS.map((seed) => ({ seed, ...fieldRows(seed, FALSE_ALARM_DAYS, novel, perWindow) }));
    injectedFlagged.push(
      await tally(
        `field-style + a never-seen line type ${perWindow === 1 ? 'once' : `${perWindow} times`} in every window`,
        injected,
        `as above, plus \`XFW-LINKSTAT-REPORT …\` (no rule knows it) ${perWindow === 1 ? 'once' : 'once a minute'} per radio per 5 minutes`,
        false,
      ),
    );
  }

  // the served model against its TypeScript twin, on the first quiet run's windows
  const quietScores = await score(quietRuns[0].rows);
  const tsScores = (detector as TrainedDetector).score(quietRuns[0].rows.map((r) => r.vector));
  parity.push({ model: 'wifi-anomaly', maxAbsDiff: Math.max(...tsScores.map((v, i) => Math.abs(v - quietScores[i]))) });
  const culpritText = [...culprits.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
  return [
    '## 4. WiFi: incident recall and false-alarm rate',
    '',
    `The shipped \`wifi-anomaly\` model (isolation forest with range guard on the \`${WIFI_FEATURE_SCHEMA.version}\` features, ${model.metadata.training.rows.toLocaleString('en-US')} per-AP 5-minute windows of five simulated ` +
      `office days, seed 1; threshold ${threshold.toFixed(4)} = the 99.9th percentile of its training scores, no labels) scores per-AP ` +
      `windows of ${SCENARIO_DAYS} further simulated days per incident type (other seeds), each with ${INCIDENTS_PER_TYPE} incidents of ${INCIDENT_MINUTES} minutes ` +
      'on random APs during the working day (08:00–18:00). Lines go through the same parser and windower an agent uses; real ' +
      'samples are mixed in as in training (the lab AP replays `data/wifi/hostapd_linuxrotuer.log`, link figures come from ' +
      'the wireless-LQE rows). An incident counts as caught when any window of its AP that overlaps it scores at or above ' +
      'the threshold; delay is from the incident\'s start to the end of the first such window. False-positive rate: ' +
      'flagged windows among all windows except those of the incident AP and its floor neighbours from 5 minutes before ' +
      'to 10 minutes after an incident.',
    '',
    '| incident type | injected | caught | recall | mean delay (min) | false-positive rate |',
    '|---|---:|---:|---:|---:|---:|',
    ...lines,
    '',
    `All types: ${totalDetected} of ${INCIDENT_TYPES.length * INCIDENTS_PER_TYPE} caught.`,
    '',
    '**False alarms on normal traffic from two generators.** Every window below is normal (neither generator injects ' +
      'anything), so every flagged window is a false alarm. The simulator runs use seeds the model was not trained on; the ' +
      'field-style generator (`tools/sim/field-wifi-generator.ts`) was written separately to measure exactly this: dual-band ' +
      'OpenWrt APs logging through rsyslog (ISO stamps with pids, RFC 3164 with priorities), hostapd ≥ 2.10 message formats, ' +
      'residential evening peaks, Poisson arrivals, 802.11r/v roaming, RADIUS accounting, WPS pairings, DFS channel checks ' +
      'and radar-driven channel switches, nightly restarts, driver chatter and a few lines a day no parser rule knows. ' +
      'The last two rows add a line type no rule knows to every radio\'s every window, once, then once a minute; this ' +
      'also gives idle radios windows (hence more windows), so compare their flagged counts with the plain field row: ' +
      `${fieldFlagged} → ${injectedFlagged[0]} with one such line per window, ${fieldFlagged} → ${injectedFlagged[1]} with five.`,
    '',
    '| normal traffic | shape | lines | windows | flagged | share | per seed |',
    '|---|---|---:|---:|---:|---:|---|',
    ...falseAlarms,
    '',
    `Flagged normal windows by the column furthest outside the training range of the model: ${culpritText || 'none'}. ` +
      'In the field-style traffic these are the router\'s DHCP window (220 clients behind one dnsmasq, where the ' +
      'simulated office has 120), nightly restarts of dual-radio APs (`ap_down`), and busy windows that lie inside ' +
      'every column\'s range but in a combination the forest isolates; in the simulator\'s, mostly the latter.',
    '',
    'How a rare but normal event stays quiet: every recognised hostapd / wpa_supplicant line (the control events of ' +
      '`wpa_ctrl.h`, the `hostapd_logger` modules, the `wpa_printf` subsystems) has a meaning — lifecycle, failure or ' +
      'security — and lands in a column whose normal range training has seen (`radio_events`, `lifecycle_log2`, ' +
      '`failure_other`, `security_events`, besides the incident columns); lines no rule knows are counted only as ' +
      '`unrecognised_log2` = log2(max(1, n)), whose range is learned from the few such lines a day the simulator writes: ' +
      'a single one leaves the window\'s row exactly as it was (so it can never make a window anomalous on its own, ' +
      'which `wifi-unseen-line.spec.ts` checks with the trained model), and a new line type that keeps coming moves ' +
      'the window by how many times more such lines it has, not by an "infinite" deviation from a zero baseline.',
    '',
    'Caveat: incidents and normal behaviour of the recall table come from the same simulator, and each incident type has ' +
      'one intensity (see `scheduleIncident` in libs/testing/src/lib/models/wifi-simulator.ts: e.g. a spoofed deauth every 1.5–4 s, an AP ' +
      'restart every 50–120 s); fainter incidents would be caught less often. Both normal-traffic generators were written ' +
      'by the same team that designed the features: the field one before the features and the simulator were changed, ' +
      'and not tuned after, but the simulator\'s new rare-but-normal events were then chosen from hostapd\'s sources by ' +
      'people who knew what the field generator writes. The field figure is a check against a different shape of network, ' +
      'not a measurement on a real one.',
    '',
  ].join('\n');
}

/** INCIDENTS_PER_TYPE incidents during working hours, at least two hours apart, on random APs. */
function scheduleIncidents(type: IncidentType, seed: number): Incident[] {
  const rng = createRng(seed);
  const aps = ['ap-1f-a', 'ap-1f-b', 'ap-2f-a', 'ap-2f-b', 'ap-3f-a', 'ap-3f-b'];
  const slots: number[] = [];
  for (let d = 0; d < SCENARIO_DAYS; d++) for (const h of [8.5, 11, 13.5, 16]) slots.push(DEFAULT_SIM_START + d * DAY + h * 3600_000);
  const chosen = slots.slice(0, INCIDENTS_PER_TYPE);
  return chosen.map((slot) => {
    const start = slot + rng.int(60) * MINUTE;
    return { type, ap: aps[rng.int(aps.length)], start, end: start + INCIDENT_MINUTES * MINUTE };
  });
}

// CLI: node tools/ts-run.mjs tools/eval/wifi-eval.ts → prints section 4 alone (docs/quality.md is written by npm run eval)
const ranByTsRun = require.main === undefined && /(^|[\\/_])wifi-eval\.[cm]?[jt]s$/.test(process.argv[1] ?? '');
if (require.main === module || ranByTsRun) {
  const parity: Array<{ model: string; maxAbsDiff: number }> = [];
  evaluateWifi(workspaceRoot(), parity)
    .then((md) => console.log(`${md}\nparity ${JSON.stringify(parity)}`))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
