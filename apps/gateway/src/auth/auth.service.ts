import { Inject, Injectable } from '@nestjs/common';
import {
  AuthSubjects,
  type ApiKeyDto,
  type ApiKeyRole,
  type ListApiKeysReply,
  type ListAuditReply,
  type ListAuditRequest,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import type { GatewayEnv } from '../app/gateway.env';
import { GATEWAY_ENV } from '../app/tokens';
import { generateApiKey, hashKey } from './key-hash';
import { KeyStore } from './key-store';

/** Key management and the audit log, kept by the registry. A new key is made here and only its hash leaves. */
@Injectable()
export class AuthService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly keys: KeyStore,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  list(): Promise<ListApiKeysReply> {
    return this.rpc.call(AuthSubjects.listKeys, {}, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  async create(name: string, role: ApiKeyRole, actor: string): Promise<ApiKeyDto & { key: string }> {
    const key = generateApiKey();
    const dto = await this.rpc.call(AuthSubjects.createKey, { name, role, hash: hashKey(key), actor }, { timeoutMs: this.env.REQUEST_TIMEOUT_MS });
    // usable on this gateway as soon as the caller has it (the others reload on the registry's event)
    await this.keys.reload();
    return { ...dto, key };
  }

  async revoke(id: string, actor: string): Promise<ApiKeyDto> {
    const dto = await this.rpc.call(AuthSubjects.revokeKey, { id, actor }, { timeoutMs: this.env.REQUEST_TIMEOUT_MS });
    await this.keys.reload();
    return dto;
  }

  audit(req: ListAuditRequest): Promise<ListAuditReply> {
    return this.rpc.call(AuthSubjects.listAudit, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }
}
