import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type {
  ClaimIdempotencyKeyReply,
  ClaimIdempotencyKeyRequest,
  SettleIdempotencyKeyReply,
  SettleIdempotencyKeyRequest,
} from '@loglens/contracts';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

/** Expired keys are deleted at most this often per registry instance (a key past its time is ignored anyway). */
const SWEEP_EVERY_MS = 60_000;

/**
 * Idempotency keys in Postgres. A claim is an INSERT … ON CONFLICT DO NOTHING on (scope, key): whichever gateway's
 * claim inserts first runs the change, every other one finds the row — the same request gets the stored answer (or
 * "in progress" until it is stored), another request with the same key is a mismatch. No lock is held while the
 * change runs, so a slow deploy never blocks other keys.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);
  private lastSweep = 0;

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async claim(req: ClaimIdempotencyKeyRequest): Promise<ClaimIdempotencyKeyReply> {
    await this.sweep();
    // one transaction: a concurrent claim of the same key waits on our insert and then finds the row
    return this.ds.transaction(async (m) => {
      const repo = m.getRepository(IdempotencyKeyEntity);
      // a key past its time, or a claim whose gateway died mid-request, no longer counts
      await repo
        .createQueryBuilder()
        .delete()
        .where('scope = :scope AND key = :key', req)
        .andWhere(`(expires_at <= now() OR (state = 'pending' AND locked_until <= now()))`)
        .execute();
      const inserted = await repo
        .createQueryBuilder()
        .insert()
        .values({
          scope: req.scope,
          key: req.key,
          fingerprint: req.fingerprint,
          request: req.request,
          state: 'pending',
          status: null,
          body: null,
          lockedUntil: () => `now() + make_interval(secs => ${req.leaseMs / 1000})`,
          expiresAt: () => `now() + make_interval(secs => ${req.ttlMs / 1000})`,
        })
        .orIgnore()
        .returning(['key'])
        .execute();
      if ((inserted.raw as unknown[]).length > 0) return { outcome: 'claimed' };
      const row = await repo.findOneBy({ scope: req.scope, key: req.key });
      // deleted (expired) between our insert and this read: rare; the caller asks again
      if (!row) return { outcome: 'in-progress' };
      if (row.fingerprint !== req.fingerprint)
        return { outcome: 'mismatch', request: row.request, firstAt: row.createdAt.toISOString() };
      if (row.state === 'done')
        return {
          outcome: 'replay',
          status: row.status ?? 200,
          body: row.body,
          firstAt: row.createdAt.toISOString(),
        };
      return { outcome: 'in-progress' };
    });
  }

  async settle(req: SettleIdempotencyKeyRequest): Promise<SettleIdempotencyKeyReply> {
    // in a transaction like every change here (PGlite's socket server runs one connection's transaction at a time)
    return this.ds.transaction((m) => this.settleIn(m.getRepository(IdempotencyKeyEntity), req));
  }

  private async settleIn(
    repo: Repository<IdempotencyKeyEntity>,
    req: SettleIdempotencyKeyRequest,
  ): Promise<SettleIdempotencyKeyReply> {
    const where = { scope: req.scope, key: req.key, fingerprint: req.fingerprint, state: 'pending' as const };
    if (req.action === 'release') {
      const r = await repo.delete(where);
      return { settled: (r.affected ?? 0) > 0 };
    }
    const r = await repo
      .createQueryBuilder()
      .update()
      .set({ state: 'done', status: req.status ?? 200, body: () => 'CAST(:body AS json)', lockedUntil: null })
      .where(where)
      .setParameter('body', JSON.stringify(req.body ?? null))
      .execute();
    return { settled: (r.affected ?? 0) > 0 };
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    try {
      const r = await this.ds
        .getRepository(IdempotencyKeyEntity)
        .createQueryBuilder()
        .delete()
        .where('expires_at <= now()')
        .execute();
      if (r.affected) this.logger.log(`forgot ${r.affected} expired idempotency keys`);
    } catch (e) {
      this.logger.warn(`could not sweep expired idempotency keys: ${(e as Error).message}`);
    }
  }
}
