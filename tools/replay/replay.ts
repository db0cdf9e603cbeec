// `npm run replay -- <file> --subject logs.wifi.site1 [--rate 2000] [--batch 1] [--nats nats://…] [--creds <seed file>]`
// Publishes a log file line by line to JetStream (the LOGS stream), paced at --rate lines/s, with a progress bar on
// stderr; --batch N (2–500) stores N lines per message as a record batch (LOG_BATCH_HEADER), the fast path for the
// stream and the agents (a batch goes when its last line is due). Every message is awaited until JetStream has stored
// it, so a finished replay is a durable one. The subject is
// given without the namespace (LOGLENS_NAMESPACE is put in front); --creds (or NATS_NKEY_FILE) is the log-producer
// credential `npm start` writes, which may publish `<namespace>.logs.>` and nothing else.
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { connect, headers } from 'nats';
import { LOG_BATCH_HEADER, LOG_BATCH_MAX_BYTES, LOG_BATCH_MAX_RECORDS, LogSubjects, NAMESPACE, inNamespace, withoutNamespace } from '@loglens/contracts';
import { ensureAnalysisInfrastructure, natsConnectOptions } from '@loglens/nest-common';

interface Args {
  file: string;
  subject: string;
  rate: number;
  nats: string;
  creds?: string;
  inFlight: number;
  /** lines per stored message (1: one line per message) */
  batch: number;
}

function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) flags.set(argv[i].slice(2), argv[++i] ?? '');
    else positional.push(argv[i]);
  }
  const usage =
    'usage: npm run replay -- <file> --subject logs.wifi.<site>|logs.generic.<source> [--rate 2000] [--batch 1] [--nats nats://127.0.0.1:4222] [--creds .loglens/nats/credentials/loglens/log-producer.nk]';
  const file = positional[0];
  const bare = withoutNamespace(flags.get('subject') ?? '');
  if (!file) fail(usage);
  const [wifi, generic] = [withoutNamespace(LogSubjects.wifi), withoutNamespace(LogSubjects.generic)];
  if (!bare.startsWith(`${wifi}.`) && !bare.startsWith(`${generic}.`)) {
    fail(`--subject must start with ${wifi}. or ${generic}. (got "${bare}")\n${usage}`);
  }
  if (!/^[a-z]+\.[a-z]+\.[A-Za-z0-9_-]+$/.test(bare)) fail(`--subject "${bare}": the site/source part must be letters, digits, "_" or "-"`);
  const subject = inNamespace(bare, NAMESPACE);
  const rate = Number(flags.get('rate') ?? 2000);
  if (!Number.isFinite(rate) || rate <= 0) fail('--rate must be a positive number of lines per second');
  const batch = Number(flags.get('batch') ?? 1);
  if (!Number.isInteger(batch) || batch < 1 || batch > LOG_BATCH_MAX_RECORDS) fail(`--batch must be a whole number of lines per message from 1 to ${LOG_BATCH_MAX_RECORDS} (got "${flags.get('batch')}")`);
  const creds = flags.get('creds') ?? process.env['NATS_NKEY_FILE'];
  return { file, subject, rate, nats: flags.get('nats') ?? process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222', ...(creds ? { creds } : {}), inFlight: 256, batch };
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
  const nc = await connect({
    ...natsConnectOptions('log-producer', { ...process.env, ...(args.creds ? { NATS_NKEY_FILE: args.creds } : {}) }),
    servers: args.nats,
    name: 'loglens-replay',
  });
  // on an open NATS the replay can come first and create the stream; the log-producer credential may not (the
  // services create it when they start)
  await ensureAnalysisInfrastructure(nc).catch((e: unknown) => {
    if ((e as { code?: string }).code !== 'PERMISSIONS_VIOLATION') throw e;
  });
  const js = nc.jetstream();
  const started = Date.now();
  const inFlight = new Set<Promise<unknown>>();
  const encoder = new TextEncoder();
  let sent = 0;
  let lastDraw = 0;
  /** the lines of the batch being filled (--batch), and their bytes joined by newlines */
  let pending: string[] = [];
  let pendingBytes = 0;
  const publish = async (lines: string[]) => {
    if (lines.length === 0) return;
    // pace: line n is due at n / rate seconds after the start; a batch, when its last line is
    const due = started + ((sent + lines.length - 1) / args.rate) * 1000;
    const wait = due - Date.now();
    if (wait > 5) await new Promise((r) => setTimeout(r, wait));
    const h = lines.length > 1 ? headers() : undefined;
    h?.set(LOG_BATCH_HEADER, String(lines.length));
    const p = js.publish(args.subject, encoder.encode(lines.join('\n')), h ? { headers: h } : undefined).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= args.inFlight) await Promise.race(inFlight);
    sent += lines.length;
    if (Date.now() - lastDraw > 200 && process.stderr.isTTY) {
      lastDraw = Date.now();
      process.stderr.write(`\r${bar(sent, total, (sent * 1000) / Math.max(1, Date.now() - started))}`);
    }
  };
  for await (const line of createInterface({ input: createReadStream(args.file) })) {
    if (!line.trim()) continue;
    const bytes = Buffer.byteLength(line);
    // a batch holds at most --batch lines and LOG_BATCH_MAX_BYTES bytes (a longer line goes alone)
    if (pending.length > 0 && pendingBytes + 1 + bytes > LOG_BATCH_MAX_BYTES) {
      await publish(pending);
      [pending, pendingBytes] = [[], 0];
    }
    pendingBytes += (pending.length ? 1 : 0) + bytes;
    pending.push(line);
    if (pending.length >= args.batch) {
      await publish(pending);
      [pending, pendingBytes] = [[], 0];
    }
  }
  await publish(pending);
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
