import { Inject, Injectable } from '@nestjs/common';
import {
  RegistrySubjects,
  type AliasReply,
  type ArchiveVersionRequest,
  type DeleteAliasRequest,
  type DeployVersionReply,
  type GetValidationRequest,
  type HistoryReply,
  type HistoryRequest,
  type LoadVersionReply,
  type LoadVersionRequest,
  type ModelVersionDto,
  type RollbackRequest,
  type SetAliasRequest,
  type TagVersionRequest,
  type ValidateVersionRequest,
  type ValidationReportDto,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import type { GatewayEnv } from '../app/gateway.env';
import { GATEWAY_ENV } from '../app/tokens';

/** Model lifecycle over NATS. Changes are not retried: a timed-out change may have happened (check the history). */
@Injectable()
export class ManagementService {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  validate(ref: string, actor: string): Promise<ValidationReportDto> {
    const req: ValidateVersionRequest = { ref, actor };
    return this.rpc.call(RegistrySubjects.validateVersion, req, { timeoutMs: 60_000 });
  }

  validation(ref: string): Promise<ValidationReportDto> {
    const req: GetValidationRequest = { ref };
    return this.read(RegistrySubjects.getValidation, req);
  }

  load(ref: string, actor: string): Promise<LoadVersionReply> {
    const req: LoadVersionRequest = { ref, actor };
    return this.change(RegistrySubjects.loadVersion, req);
  }

  unload(ref: string, actor: string): Promise<LoadVersionReply> {
    const req: LoadVersionRequest = { ref, actor };
    return this.change(RegistrySubjects.unloadVersion, req);
  }

  rollback(req: RollbackRequest): Promise<DeployVersionReply> {
    return this.change(RegistrySubjects.rollback, req);
  }

  history(req: HistoryRequest): Promise<HistoryReply> {
    return this.read(RegistrySubjects.history, req);
  }

  setAlias(req: SetAliasRequest): Promise<AliasReply> {
    return this.change(RegistrySubjects.setAlias, req);
  }

  deleteAlias(req: DeleteAliasRequest): Promise<AliasReply> {
    return this.change(RegistrySubjects.deleteAlias, req);
  }

  archive(req: ArchiveVersionRequest): Promise<ModelVersionDto> {
    return this.change(RegistrySubjects.archiveVersion, req);
  }

  tag(req: TagVersionRequest): Promise<ModelVersionDto> {
    return this.change(RegistrySubjects.tagVersion, req);
  }

  private read<T>(subject: string, req: object): Promise<T> {
    return this.rpc.call<T>(subject, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  private change<T>(subject: string, req: object): Promise<T> {
    return this.rpc.call<T>(subject, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS });
  }
}
