import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { timingSafeEqual } from 'node:crypto';
import { AuthSubjects } from '@loglens/contracts';
import { NATS_CONNECTION, RpcClient } from '@loglens/nest-common';
import type { GatewayEnv } from '../app/gateway.env';
import { GATEWAY_ENV } from '../app/tokens';
import { fingerprintOf, hashKey } from './key-hash';
import { parseApiKeys, type Role } from './roles';

/** Who a request acts as: one API key. */
export interface Principal {
  /** the registry's key id, or `bootstrap:<fingerprint>` for an API_KEYS key */
  id: string;
  name: string;
  role: Role;
  fingerprint: string;
}

interface CachedKey {
  principal: Principal;
  hash: Buffer;
}

/** a missed key-change event is caught up with this often */
const RELOAD_EVERY_MS = 30_000;
/** while the registry's keys were never loaded (the registry starts after this gateway), retry this often */
const FIRST_LOAD_RETRY_MS = 1000;
/** last-used times reach the registry this often (they are coarse on purpose: one write a minute, not one a request) */
const TOUCH_EVERY_MS = 60_000;

/**
 * The keys this gateway accepts: API_KEYS (bootstrap keys, hashed in memory, never stored or printed) and the
 * registry's keys (their SHA-256 only). Reloaded whenever the registry broadcasts a key change, so a revoke reaches
 * every gateway within the NATS round trip; and every 30 s, should an event be missed.
 */
@Injectable()
export class KeyStore implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('keys');
  private readonly bootstrap: CachedKey[];
  private stored: CachedKey[] = [];
  private loaded = false;
  private readonly used = new Set<string>();
  private sub?: Subscription;
  private timers: NodeJS.Timeout[] = [];
  private destroyed = false;
  private retry?: NodeJS.Timeout;
  private failures = 0;
  private reloading: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(
    @Inject(GATEWAY_ENV) env: GatewayEnv,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly rpc: RpcClient,
  ) {
    this.bootstrap = bootstrapKeys(env.API_KEYS);
  }

  onApplicationBootstrap(): void {
    this.sub = this.nc.subscribe(AuthSubjects.keysChanged, { callback: () => void this.reload() });
    this.timers.push(setInterval(() => void this.reload(), RELOAD_EVERY_MS).unref(), setInterval(() => void this.flushUse(), TOUCH_EVERY_MS).unref());
    void this.reload();
  }

  onModuleDestroy(): void {
    this.destroyed = true;
    this.sub?.unsubscribe();
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.retry);
  }

  /** The principal a presented key belongs to, compared in constant time with every known hash; undefined if none. */
  verify(presented: string): Principal | undefined {
    return this.verifyHash(hashKey(presented));
  }

  /** verify with the key's hashKey already computed (requestKeyHash). */
  verifyHash(hash: string): Principal | undefined {
    const given = Buffer.from(hash, 'hex');
    let found: Principal | undefined;
    // every entry is compared, match or not, so the time taken does not tell which entry matched
    for (const k of this.bootstrap) if (timingSafeEqual(k.hash, given) && !found) found = k.principal;
    for (const k of this.stored) if (timingSafeEqual(k.hash, given) && !found) found = k.principal;
    if (found && !found.id.startsWith('bootstrap:')) this.used.add(found.id);
    return found;
  }

  /** The key with this id if it is still active (tokens name their key; a revoked key's tokens stop working). */
  byId(id: string): Principal | undefined {
    return (this.bootstrap.find((k) => k.principal.id === id) ?? this.stored.find((k) => k.principal.id === id))?.principal;
  }

  /** Whether the registry's keys have been loaded at least once (before that only API_KEYS work). */
  get ready(): boolean {
    return this.loaded;
  }

  /**
   * Fetches the active keys' hashes from the registry. A call during a fetch gets the next one (that fetch may have
   * read the table before the change the caller knows of); calls during a fetch share that next one.
   */
  reload(): Promise<void> {
    if (!this.reloading) {
      this.reloading = this.fetch().finally(() => (this.reloading = null));
      return this.reloading;
    }
    this.queued ??= this.reloading.then(() => {
      this.queued = null;
      return this.reload();
    });
    return this.queued;
  }

  private async fetch(): Promise<void> {
    try {
      const reply = await this.rpc.call(AuthSubjects.keyHashes, {}, { timeoutMs: 5000 });
      this.stored = reply.keys.map((k) => ({ principal: { id: k.id, name: k.name, role: k.role, fingerprint: fingerprintOf(k.hash) }, hash: Buffer.from(k.hash, 'hex') }));
      if (!this.loaded) this.logger.log(`${this.stored.length} stored API key(s) loaded${this.bootstrap.length ? `, ${this.bootstrap.length} from API_KEYS` : ''}`);
      this.loaded = true;
      this.failures = 0;
    } catch (e) {
      // the keys already cached stay valid; revocations wait for the registry to come back
      if (this.failures++ % 30 === 0) this.logger.warn(`could not load API keys from the registry: ${(e as Error).message}`);
      // until the first load, stored keys do not work at all: try again soon rather than at the next 30 s reload
      if (!this.loaded && !this.destroyed) {
        clearTimeout(this.retry);
        this.retry = setTimeout(() => void this.reload(), FIRST_LOAD_RETRY_MS).unref();
      }
    }
  }

  private async flushUse(): Promise<void> {
    if (this.used.size === 0) return;
    const ids = [...this.used];
    this.used.clear();
    await this.rpc.call(AuthSubjects.touchKeys, { ids, at: new Date().toISOString() }).catch((e: unknown) => this.logger.warn(`could not record key use: ${(e as Error).message}`));
  }
}

function bootstrapKeys(spec: string): CachedKey[] {
  return [...parseApiKeys(spec)].map(([key, role]) => {
    const hash = hashKey(key);
    const fingerprint = fingerprintOf(hash);
    return { principal: { id: `bootstrap:${fingerprint}`, name: `API_KEYS ${role}`, role, fingerprint }, hash: Buffer.from(hash, 'hex') };
  });
}
