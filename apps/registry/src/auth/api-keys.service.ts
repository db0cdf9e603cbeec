import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, In, type DataSource } from 'typeorm';
import {
  AuthSubjects,
  LogLensError,
  type ApiKeyDto,
  type ApiKeyHashDto,
  type ApiKeysChangedEvent,
  type CreateApiKeyRequest,
  type RevokeApiKeyRequest,
  type TouchApiKeysRequest,
} from '@loglens/contracts';
import { EventBus } from '@loglens/nest-common';
import { ApiKeyEntity } from './api-key.entity';

/** The gateway's API keys: hashes only. Every change is broadcast so each gateway reloads its cache at once. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly bus: EventBus,
  ) {}

  async list(includeRevoked: boolean): Promise<ApiKeyDto[]> {
    const rows = await this.ds.getRepository(ApiKeyEntity).find({ where: includeRevoked ? {} : { revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
    return rows.map(toDto);
  }

  async hashes(): Promise<ApiKeyHashDto[]> {
    const rows = await this.ds.getRepository(ApiKeyEntity).find({ where: { revokedAt: IsNull() } });
    return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, hash: r.hash }));
  }

  async create(req: CreateApiKeyRequest): Promise<ApiKeyDto> {
    const saved = await this.ds.transaction(async (m) => {
      // one writer at a time: "only if none" (first start) and "not the last admin" (revoke) both read then write
      await m.query(`LOCK TABLE ${table(m.connection)} IN SHARE ROW EXCLUSIVE MODE`);
      const repo = m.getRepository(ApiKeyEntity);
      if (req.onlyIfNone && (await repo.count({ where: { revokedAt: IsNull() } })) > 0) {
        throw new LogLensError('CONFLICT', 'API keys exist already; create more through POST /api/v1/auth/keys');
      }
      if (await repo.exists({ where: { hash: req.hash } })) throw new LogLensError('CONFLICT', 'a key with this hash exists already');
      return repo.save(repo.create({ name: req.name, role: req.role, hash: req.hash, createdBy: req.actor, createdAt: new Date(), lastUsedAt: null, revokedAt: null, revokedBy: null }));
    });
    this.changed('created', saved.id);
    return toDto(saved);
  }

  async revoke(req: RevokeApiKeyRequest): Promise<ApiKeyDto> {
    const saved = await this.ds.transaction(async (m) => {
      await m.query(`LOCK TABLE ${table(m.connection)} IN SHARE ROW EXCLUSIVE MODE`);
      const repo = m.getRepository(ApiKeyEntity);
      const key = await repo.findOne({ where: { id: req.id } });
      if (!key) throw new LogLensError('NOT_FOUND', `no API key with id ${req.id}`);
      if (key.revokedAt) throw new LogLensError('CONFLICT', `the key "${key.name}" was revoked already (${key.revokedAt.toISOString()})`);
      if (key.role === 'admin' && (await repo.count({ where: { role: 'admin', revokedAt: IsNull() } })) <= 1) {
        throw new LogLensError('CONFLICT', `"${key.name}" is the last admin key: create another admin key before revoking it`);
      }
      key.revokedAt = new Date();
      key.revokedBy = req.actor;
      return repo.save(key);
    });
    this.changed('revoked', saved.id);
    return toDto(saved);
  }

  async touch(req: TouchApiKeysRequest): Promise<number> {
    if (req.ids.length === 0) return 0;
    const at = new Date(req.at);
    const r = await this.ds
      .createQueryBuilder()
      .update(ApiKeyEntity)
      .set({ lastUsedAt: at })
      .where({ id: In(req.ids) })
      .andWhere('(last_used_at IS NULL OR last_used_at < :at)', { at })
      .execute();
    return r.affected ?? 0;
  }

  private changed(change: ApiKeysChangedEvent['change'], id: string): void {
    const event: ApiKeysChangedEvent = { change, id, at: new Date().toISOString() };
    this.bus.publish(AuthSubjects.keysChanged, event);
  }
}

function table(ds: DataSource): string {
  const schema = (ds.options as { schema?: string }).schema ?? 'public';
  return `"${schema}".api_keys`;
}

export function toDto(k: ApiKeyEntity): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    fingerprint: k.hash.slice(0, 8),
    createdAt: k.createdAt.toISOString(),
    createdBy: k.createdBy,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}
