// Writes simulated WiFi logs (hostapd, wpa_supplicant, dnsmasq syslog lines and JSON telemetry) to a file or stdout.
// CLI: node tools/ts-run.mjs tools/sim/wifi-sim.ts [--days 1] [--seed 1] [--out sim.log]
//        [--incident <type>@<ap>@<day>T<HH:MM>[+<minutes>] …]      e.g. --incident deauth-flood@ap-2f-a@0T10:30+15
//      or: node tools/ts-run.mjs tools/sim/wifi-sim.ts --field [--days 1] [--seed 1] [--out field.log]
//        (normal traffic only, from the independently designed field-style generator, field-wifi-generator.ts)
// Incident types: deauth-flood, auth-failure-storm, dhcp-outage, rssi-collapse, roaming-storm, ap-flapping.
// APs: ap-1f-a, ap-1f-b, ap-2f-a, ap-2f-b, ap-3f-a, ap-3f-b. Day 0 is Monday 2024-06-03 (UTC).
import { writeFileSync } from 'node:fs';
import { workspaceRoot } from '@loglens/testing/workspace';
import { loadWifiSamples, DEFAULT_SIM_START, INCIDENT_TYPES, Incident, IncidentType, simulateWifi } from '@loglens/testing/models';
import { generateFieldWifi } from './field-wifi-generator';

function main(args: string[]): void {
  let days = 1;
  let seed = 1;
  let out: string | undefined;
  const incidents: Incident[] = [];
  const field = args.includes('--field');
  const argv = args.filter((a) => a !== '--field');
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) return usage(`${flag} needs a value`);
    if (flag === '--days') days = Number(value);
    else if (flag === '--seed') seed = Number(value);
    else if (flag === '--out') out = value;
    else if (flag === '--incident') {
      const m = /^([a-z-]+)@([\w-]+)@(\d+)T(\d\d):(\d\d)(?:\+(\d+))?$/.exec(value);
      if (!m || !(INCIDENT_TYPES as readonly string[]).includes(m[1])) return usage(`bad --incident '${value}'`);
      const start = DEFAULT_SIM_START + Number(m[3]) * 86_400_000 + (Number(m[4]) * 60 + Number(m[5])) * 60_000;
      incidents.push({ type: m[1] as IncidentType, ap: m[2], start, end: start + Number(m[6] ?? 15) * 60_000 });
    } else return usage(`unknown option ${flag}`);
  }
  if (!(days > 0) || !Number.isInteger(seed)) return usage('--days must be > 0 and --seed an integer');
  if (field) {
    if (incidents.length > 0) return usage('--field writes normal traffic only: no --incident');
    const f = generateFieldWifi({ seed, durationMs: days * 86_400_000 });
    const text = `${f.lines.join('\n')}\n`;
    if (out) {
      writeFileSync(out, text);
      console.error(`${f.lines.length} lines → ${out} (field-style; syslog year ${f.year}; ${f.radioKeys.length} radios)`);
    } else process.stdout.write(text);
    return;
  }
  const samples = loadWifiSamples(workspaceRoot());
  const sim = simulateWifi({ seed, durationMs: days * 86_400_000, incidents, realHostapdLines: samples.hostapdLines, linkSamples: samples.linkSamples });
  const text = `${sim.lines.join('\n')}\n`;
  if (out) {
    writeFileSync(out, text);
    console.error(`${sim.lines.length} lines → ${out} (syslog year ${sim.year}; ${sim.incidents.length} incidents)`);
  } else process.stdout.write(text);
}

function usage(why: string): void {
  console.error(`wifi-sim: ${why}\nusage: node tools/ts-run.mjs tools/sim/wifi-sim.ts [--field] [--days n] [--seed n] [--out file] [--incident type@ap@dayTHH:MM[+min]]`);
  process.exitCode = 2;
}

main(process.argv.slice(2));
