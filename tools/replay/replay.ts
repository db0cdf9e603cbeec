// `npm run replay -- <file> --subject logs.wifi.site1 [--rate 2000] [--nats nats://…] [--json]`
// Publishes a log file line by line to JetStream (the LOGS stream), paced at --rate lines/s, with a progress bar on
// stderr. Every line is awaited until JetStream has stored it, so a finished replay is a durable one.
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { connect } from 'nats';
import { LogSubjects } from '@loglens/contracts';
import { ensureAnalysisInfrastructure } from '@loglens/nest-common';

interface Args {
  file: string;
  subject: string;
  rate: number;
  nats: string;
  inFlight: number;
}

function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) flags.set(argv[i].slice(2), argv[++i] ?? '');
    else positional.push(argv[i]);
  }
  const usage = 'usage: npm run replay -- <file> --subject logs.wifi.<site>|logs.generic.<source> [--rate 2000] [--nats nats://127.0.0.1:4222]';
  const file = positional[0];
  const subject = flags.get('subject') ?? '';
  if (!file) fail(usage);
  if (!subject.startsWith(`${LogSubjects.wifi}.`) && !subject.startsWith(`${LogSubjects.generic}.`)) {
    fail(`--subject must start with ${LogSubjects.wifi}. or ${LogSubjects.generic}. (got "${subject}")\n${usage}`);
  }
  if (!/^[a-z]+\.[a-z]+\.[A-Za-z0-9_-]+$/.test(subject)) fail(`--subject "${subject}": the site/source part must be letters, digits, "_" or "-"`);
  const rate = Number(flags.get('rate') ?? 2000);
  if (!Number.isFinite(rate) || rate <= 0) fail('--rate must be a positive number of lines per second');
  return { file, subject, rate, nats: flags.get('nats') ?? process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222', inFlight: 256 };
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function bar(done: number, total: number, rate: number): string {
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${total ? Math.round((done / total) * 100) : 0}% ${done}/${total} lines, ${Math.round(rate)} lines/s`;
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) if (line.trim()) n++;
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  try {
    statSync(args.file);
  } catch {
    fail(`no such file: ${args.file}`);
  }
  const total = await countLines(args.file);
  const nc = await connect({ servers: args.nats, name: 'loglens-replay' });
  await ensureAnalysisInfrastructure(nc);
  const js = nc.jetstream();
  const started = Date.now();
  const inFlight = new Set<Promise<unknown>>();
  let sent = 0;
  let lastDraw = 0;
  for await (const line of createInterface({ input: createReadStream(args.file) })) {
    if (!line.trim()) continue;
    // pace: line n is due at n / rate seconds after the start
    const due = started + (sent / args.rate) * 1000;
    const wait = due - Date.now();
    if (wait > 5) await new Promise((r) => setTimeout(r, wait));
    const p = js.publish(args.subject, new TextEncoder().encode(line)).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= args.inFlight) await Promise.race(inFlight);
    sent++;
    if (Date.now() - lastDraw > 200 && process.stderr.isTTY) {
      lastDraw = Date.now();
      process.stderr.write(`\r${bar(sent, total, (sent * 1000) / Math.max(1, Date.now() - started))}`);
    }
  }
  await Promise.all(inFlight);
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(`\r${bar(sent, total, sent / Math.max(seconds, 1e-3))}\n`);
  console.log(`published ${sent} lines to ${args.subject} in ${seconds.toFixed(1)} s (stored by JetStream stream LOGS)`);
  await nc.drain();
}

main().catch((e: unknown) => {
  console.error(`replay failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
