import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditEntryInput, validateMessage, type AuditEntryDto, type ListAuditReply, type ListAuditRequest, type RecordAuditRequest } from '@loglens/contracts';
import { AuditEntryEntity } from './audit-entry.entity';

/** The audit log: batches from the gateways in, pages newest first out. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async record(req: RecordAuditRequest): Promise<number> {
    const entries = req.entries.map((e, i) => {
      try {
        return validateMessage(AuditEntryInput, e);
      } catch (err) {
        (err as Error).message = `entries[${i}]: ${(err as Error).message}`;
        throw err;
      }
    });
    if (entries.length === 0) return 0;
    const repo = this.ds.getRepository(AuditEntryEntity);
    await repo.insert(
      entries.map((e) => ({
        at: new Date(e.at),
        actorId: e.actorId,
        actorName: e.actorName,
        role: e.role,
        action: e.action,
        method: e.method,
        route: e.route,
        target: e.target ?? null,
        clientIp: e.clientIp,
        status: e.status,
        errorCode: e.errorCode ?? null,
      })),
    );
    return entries.length;
  }

  async list(q: ListAuditRequest): Promise<ListAuditReply> {
    const limit = q.limit ?? 100;
    const qb = this.ds.getRepository(AuditEntryEntity).createQueryBuilder('a').orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC').limit(limit + 1);
    if (q.actor) qb.andWhere('(a.actor_id = :actor OR a.actor_name = :actor)', { actor: q.actor });
    if (q.action) {
      if (q.action.endsWith('.')) qb.andWhere('a.action LIKE :prefix', { prefix: `${q.action}%` });
      else qb.andWhere('a.action = :action', { action: q.action });
    }
    if (q.from) qb.andWhere('a.at >= :from', { from: new Date(q.from) });
    if (q.to) qb.andWhere('a.at <= :to', { to: new Date(q.to) });
    if (q.cursor) {
      const [ms, id] = q.cursor.split('_');
      qb.andWhere('(a.at < :cursorAt OR (a.at = :cursorAt AND a.id < :cursorId))', { cursorAt: new Date(Number(ms)), cursorId: id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { entries: page.map(toDto), nextCursor: rows.length > limit ? `${last.at.getTime()}_${last.id}` : null };
  }
}

function toDto(a: AuditEntryEntity): AuditEntryDto {
  return {
    id: String(a.id),
    at: a.at.toISOString(),
    actorId: a.actorId,
    actorName: a.actorName,
    role: a.role,
    action: a.action,
    method: a.method,
    route: a.route,
    ...(a.target ? { target: a.target } : {}),
    clientIp: a.clientIp,
    status: a.status,
    ...(a.errorCode ? { errorCode: a.errorCode } : {}),
  };
}
