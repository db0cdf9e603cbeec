import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AuthSubjects, type AuditEntryInput } from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';

const FLUSH_EVERY_MS = 250;
const BATCH = 200;
/** entries held while the registry is unreachable; past this the oldest are written to the log instead */
const MAX_PENDING = 20_000;

/**
 * Sends audit entries to the registry off the request path: batched every 250 ms, retried with back-off while the
 * registry is down (held in memory, up to 20,000 entries). Nothing is dropped silently: an entry that cannot be held or
 * stored (queue full, gateway stopping with the registry down) is written to this gateway's log as an `AUDIT-UNSTORED`
 * JSON line, which a log collector keeps.
 */
@Injectable()
export class AuditSink implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('audit');
  private pending: AuditEntryInput[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private failures = 0;
  private nextTryAt = 0;

  constructor(private readonly rpc: RpcClient) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    this.nextTryAt = 0;
    await this.flush();
    for (const e of this.pending.splice(0)) this.unstored(e, 'the gateway stopped while the registry was unreachable');
  }

  record(entry: AuditEntryInput): void {
    this.pending.push(entry);
    if (this.pending.length > MAX_PENDING) this.unstored(this.pending.shift() as AuditEntryInput, `more than ${MAX_PENDING} entries wait for the registry`);
  }

  /** Sends what is pending (the tests and shutdown call it; the timer does otherwise). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.length === 0 || Date.now() < this.nextTryAt) return Promise.resolve();
    this.flushing = this.send().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async send(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, BATCH);
      try {
        await this.rpc.call(AuthSubjects.recordAudit, { entries: batch }, { timeoutMs: 5000 });
      } catch (e) {
        if ((e as { code?: string }).code === 'VALIDATION_FAILED') {
          // a bad entry would block the queue forever: log it instead
          for (const entry of this.pending.splice(0, batch.length)) this.unstored(entry, (e as Error).message);
          continue;
        }
        this.failures += 1;
        this.nextTryAt = Date.now() + Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
        if (this.failures === 1 || this.failures % 20 === 0) this.logger.warn(`audit entries wait for the registry (${this.pending.length} pending): ${(e as Error).message}`);
        return;
      }
      this.pending.splice(0, batch.length);
      if (this.failures > 0) this.logger.log('the registry stores audit entries again');
      this.failures = 0;
    }
  }

  private unstored(entry: AuditEntryInput, why: string): void {
    this.logger.error(`AUDIT-UNSTORED ${JSON.stringify({ why, entry })}`);
  }
}
