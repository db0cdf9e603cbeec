// `npm run nats:config -- [--out .loglens/compose-nats] [--namespace loglens,…] [--host 0.0.0.0] [--port 4222]
//   [--store /data] [--tls-cert f --tls-key f [--tls-ca f]]`
// Writes a nats-server config and one nkey seed per principal and namespace (0600), from the permission table
// (libs/dev-infra nats-permissions.ts): what docker-compose mounts, and what any other deployment can start from.
// Seeds already in the folder are kept; the config is rewritten (so a table change reaches it).
import path from 'node:path';
import { NAMESPACE } from '@loglens/contracts';
import { writeNatsSecurity } from '@loglens/dev-infra';

function main(): void {
  const flags = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) if (argv[i].startsWith('--')) flags.set(argv[i].slice(2), argv[++i] ?? '');
  const dir = path.resolve(flags.get('out') ?? '.loglens/compose-nats');
  const namespaces = (flags.get('namespace') ?? NAMESPACE).split(',').filter(Boolean);
  const cert = flags.get('tls-cert');
  const key = flags.get('tls-key');
  const ca = flags.get('tls-ca');
  if (Boolean(cert) !== Boolean(key)) throw new Error('--tls-cert and --tls-key go together');
  const security = writeNatsSecurity({
    dir,
    namespaces,
    host: flags.get('host') ?? '0.0.0.0',
    port: Number(flags.get('port') ?? 4222),
    storeDir: flags.get('store') ?? '/data',
    ...(cert && key ? { tls: { certFile: cert, keyFile: key, ...(ca ? { caFile: ca } : {}) } } : {}),
  });
  console.log(`wrote ${security.configFile}`);
  for (const ns of namespaces) console.log(`credentials (namespace ${ns}): ${security.credentialsDir(ns)}/<principal>.nk`);
}

main();
