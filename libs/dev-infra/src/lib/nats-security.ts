import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nkeys } from 'nats';
import { natsPermissions, natsPrincipals, natsUser, type NatsUser } from './nats-permissions';

/**
 * nkeys, not passwords: the server config holds only public keys (nothing secret to leak from it or from a
 * ConfigMap), each client proves it holds its seed by signing the server's nonce (no secret on the wire, even
 * without TLS), and nats.js, Debian's nats-server 2.9 and the nats CLI all take them with no extra package.
 */
export interface NatsSecurityOptions {
  /** credentials go to `<dir>/credentials/<namespace>/<principal>.nk` (0600); the config to `<dir>/nats-server.conf` */
  dir: string;
  /** stacks sharing this server (one set of credentials each) */
  namespaces: string[];
  host?: string;
  port: number;
  storeDir: string;
  /** server certificate (and client verification when `caFile` is given) */
  tls?: { certFile: string; keyFile: string; caFile?: string };
  /** one node of a JetStream cluster: its unique name, its route port and the other nodes' route URLs */
  cluster?: { serverName: string; name: string; port: number; routes: string[] };
  /** the config file's name in `dir` (several nodes of a cluster share one credentials folder) */
  configName?: string;
  /** LOGS partitions the agents' permissions are written for (default: this process's LOGLENS_LOG_PARTITIONS) */
  logPartitions?: number;
}

export interface NatsSecurity {
  configFile: string;
  /** `<dir>/credentials/<namespace>`: one `<principal>.nk` seed file per principal */
  credentialsDir(namespace: string): string;
  /** the seed file a principal connects with (`NATS_NKEY_FILE`) */
  seedFile(namespace: string, principal: string): string;
}

/**
 * Writes the nats-server config (JetStream, one nkey user per principal and namespace with exactly the table's
 * permissions) and the seed files. Seeds already there are kept, so a restarted stack keeps its credentials.
 */
export function writeNatsSecurity(options: NatsSecurityOptions): NatsSecurity {
  const credentialsDir = (ns: string) => path.join(options.dir, 'credentials', ns);
  const seedFile = (ns: string, principal: string) => path.join(credentialsDir(ns), `${principal}.nk`);
  const users: string[] = [];
  const table = natsPermissions(options.logPartitions);
  for (const ns of options.namespaces) {
    mkdirSync(credentialsDir(ns), { recursive: true, mode: 0o700 });
    for (const principal of natsPrincipals()) {
      const publicKey = ensureSeed(seedFile(ns, principal));
      users.push(userBlock(publicKey, natsUser(principal, ns, table)));
    }
  }
  const tls = options.tls
    ? `tls {\n  cert_file: ${q(options.tls.certFile)}\n  key_file: ${q(options.tls.keyFile)}\n${options.tls.caFile ? `  ca_file: ${q(options.tls.caFile)}\n  verify: true\n` : ''}}\n`
    : '';
  const c = options.cluster;
  const cluster = c
    ? `server_name: ${q(c.serverName)}\ncluster {\n  name: ${q(c.name)}\n  listen: ${q(`${options.host ?? '127.0.0.1'}:${c.port}`)}\n  routes: [${c.routes.map(q).join(', ')}]\n}\n`
    : '';
  const config =
    `# written by LogLens (libs/dev-infra nats-security.ts) from the permission table nats-permissions.ts: do not edit\n` +
    `listen: ${q(`${options.host ?? '127.0.0.1'}:${options.port}`)}\n` +
    cluster +
    `jetstream { store_dir: ${q(options.storeDir)} }\n` +
    tls +
    `authorization {\n  users: [\n${users.join('\n')}\n  ]\n}\n`;
  mkdirSync(options.dir, { recursive: true });
  const configFile = path.join(options.dir, options.configName ?? 'nats-server.conf');
  writeFileSync(configFile, config, { mode: 0o600 });
  chmodSync(configFile, 0o600);
  return { configFile, credentialsDir, seedFile };
}

/** Creates a user seed at `file` (0600) unless one is there; returns its public key. */
export function ensureSeed(file: string): string {
  if (existsSync(file)) {
    const seed = readFileSync(file, 'utf8').trim();
    return nkeys.fromSeed(new TextEncoder().encode(seed)).getPublicKey();
  }
  const kp = nkeys.createUser();
  writeFileSync(file, `${new TextDecoder().decode(kp.getSeed())}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return kp.getPublicKey();
}

function userBlock(publicKey: string, user: NatsUser): string {
  const list = (subjects: string[]) => `[${subjects.map(q).join(', ')}]`;
  return (
    `    # ${user.namespace} / ${user.principal}\n` +
    `    { nkey: ${publicKey}, permissions: { publish: { allow: ${list(user.publish)} }, subscribe: { allow: ${list(user.subscribe)} } } }`
  );
}

function q(value: string): string {
  return JSON.stringify(value);
}
