import { Inject, Injectable } from '@nestjs/common';
import {
  RegistrySubjects,
  type ReplyOf,
  type RequestOf,
  type RpcSubject,
  type AliasReply,
  type ArchiveVersionRequest,
  type DeleteAliasRequest,
  type DeployVersionReply,
  type HistoryReply,
  type HistoryRequest,
  type LoadVersionReply,
  type ModelVersionDto,
  type RollbackRequest,
  type SetAliasRequest,
  type TagVersionRequest,
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
    return this.rpc.call(RegistrySubjects.validateVersion, { ref, actor }, { timeoutMs: 60_000 });
  }

  validation(ref: string): Promise<ValidationReportDto> {
    return this.read(RegistrySubjects.getValidation, { ref });
  }

  load(ref: string, actor: string): Promise<LoadVersionReply> {
    return this.change(RegistrySubjects.loadVersion, { ref, actor });
  }

  unload(ref: string, actor: string): Promise<LoadVersionReply> {
    return this.change(RegistrySubjects.unloadVersion, { ref, actor });
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

  private read<S extends RpcSubject>(subject: S, req: RequestOf<S>): Promise<ReplyOf<S>> {
    return this.rpc.call(subject, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  private change<S extends RpcSubject>(subject: S, req: RequestOf<S>): Promise<ReplyOf<S>> {
    return this.rpc.call(subject, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS });
  }
}
