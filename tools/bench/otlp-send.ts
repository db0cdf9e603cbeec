// `node tools/ts-run.mjs tools/bench/otlp-send.ts --url http://127.0.0.1:3000 --api-key KEY --encoding json|protobuf --service NAME --count N`
// Sends N log records through the OpenTelemetry JS logs SDK and its OTLP/HTTP exporter, in a process of its own as an
// instrumented application would (the exporter's dynamic imports do not run inside jest's VM), and prints the
// SendResult as JSON on stdout.
import { sendOtlp } from '@loglens/testing';

const flags = new Map<string, string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) flags.set(argv[i].replace(/^--/, ''), argv[i + 1] ?? '');
const encoding = flags.get('encoding') === 'json' ? 'json' : 'protobuf';
sendOtlp({
  url: flags.get('url') ?? 'http://127.0.0.1:3000',
  apiKey: flags.get('api-key') ?? '',
  encoding,
  service: flags.get('service') ?? 'otlp-send',
  count: Number(flags.get('count') ?? 1000),
}).then(
  (result) => console.log(JSON.stringify(result)),
  (e: unknown) => {
    console.error(`otlp-send failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
