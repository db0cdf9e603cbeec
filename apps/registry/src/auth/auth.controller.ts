import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import {
  ApiKeyHashesRequest,
  AuthSubjects,
  CreateApiKeyRequest,
  ListApiKeysRequest,
  ListAuditRequest,
  RecordAuditRequest,
  RevokeApiKeyRequest,
  TouchApiKeysRequest,
  type ApiKeyDto,
  type ApiKeyHashesReply,
  type ListApiKeysReply,
  type ListAuditReply,
  type RecordAuditReply,
  type TouchApiKeysReply,
} from '@loglens/contracts';
import { ApiKeysService } from './api-keys.service';
import { AuditService } from './audit.service';

@Controller()
export class AuthController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly audit: AuditService,
  ) {}

  @HandlesRpc(AuthSubjects.listKeys)
  async list(@Payload() req: ListApiKeysRequest): Promise<ListApiKeysReply> {
    return { keys: await this.keys.list(req.includeRevoked ?? false) };
  }

  @HandlesRpc(AuthSubjects.keyHashes)
  async hashes(@Payload() _req: ApiKeyHashesRequest): Promise<ApiKeyHashesReply> {
    return { keys: await this.keys.hashes() };
  }

  @HandlesRpc(AuthSubjects.createKey)
  create(@Payload() req: CreateApiKeyRequest): Promise<ApiKeyDto> {
    return this.keys.create(req);
  }

  @HandlesRpc(AuthSubjects.revokeKey)
  revoke(@Payload() req: RevokeApiKeyRequest): Promise<ApiKeyDto> {
    return this.keys.revoke(req);
  }

  @HandlesRpc(AuthSubjects.touchKeys)
  async touch(@Payload() req: TouchApiKeysRequest): Promise<TouchApiKeysReply> {
    return { updated: await this.keys.touch(req) };
  }

  @HandlesRpc(AuthSubjects.recordAudit)
  async record(@Payload() req: RecordAuditRequest): Promise<RecordAuditReply> {
    return { recorded: await this.audit.record(req) };
  }

  @HandlesRpc(AuthSubjects.listAudit)
  listAudit(@Payload() req: ListAuditRequest): Promise<ListAuditReply> {
    return this.audit.list(req);
  }
}
