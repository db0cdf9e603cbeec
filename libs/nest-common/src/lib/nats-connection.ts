import { readFileSync } from 'node:fs';
import { nkeyAuthenticator, usernamePasswordAuthenticator, type ConnectionOptions } from 'nats';
import { NAMESPACE, inboxPrefix } from '@loglens/contracts/protocol';

/**
 * How every LogLens process authenticates to NATS, from its environment:
 * - `NATS_NKEY_FILE`: a file holding the principal's nkey seed (`SU…`), as `npm start` and the test harness write
 *   them (mode 0600); the server only knows the public key and its permissions;
 * - or `NATS_USER` / `NATS_PASSWORD` for a server configured with users;
 * - `NATS_TLS_CA` (CA bundle) and, for mutual TLS, `NATS_TLS_CERT` + `NATS_TLS_KEY` (files);
 * - nothing: an open server (CI's first pass against a plain nats-server on 4222).
 * Replies come to `inboxPrefix(principal)` (in `LOGLENS_NAMESPACE`): the permission table lets each principal
 * subscribe to its own inboxes only.
 */
export function natsConnectOptions(principal: string, env: NodeJS.ProcessEnv = process.env): Partial<ConnectionOptions> {
  const options: Partial<ConnectionOptions> = { inboxPrefix: inboxPrefix(principal, env['LOGLENS_NAMESPACE'] || NAMESPACE) };
  const nkeyFile = env['NATS_NKEY_FILE'];
  if (nkeyFile) {
    const seed = readFileSync(nkeyFile, 'utf8').trim();
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
  } else if (env['NATS_USER']) {
    options.authenticator = usernamePasswordAuthenticator(env['NATS_USER'], env['NATS_PASSWORD'] ?? '');
  }
  const ca = env['NATS_TLS_CA'];
  const cert = env['NATS_TLS_CERT'];
  const key = env['NATS_TLS_KEY'];
  if (ca || cert || key) {
    options.tls = {
      ...(ca ? { caFile: ca } : {}),
      ...(cert ? { certFile: cert } : {}),
      ...(key ? { keyFile: key } : {}),
    };
  }
  return options;
}

/**
 * For short-lived clients (`npm start`'s seeding, tools, test harnesses): the first connection is retried for about
 * a minute instead of failing on one slow handshake — on a crowded node, services starting at the same moment can
 * keep a client from completing its handshake within nats.js's 20 s. A NATS that never answers still fails.
 */
export const PATIENT_FIRST_CONNECT: Partial<ConnectionOptions> = Object.freeze({ waitOnFirstConnect: true, maxReconnectAttempts: 60, reconnectTimeWait: 1000 });
