import { Inject, Injectable } from '@nestjs/common';
import {
  ChangeExperimentRequest,
  CreateExperimentRequest,
  RegistrySubjects,
  checkExperimentSpec,
  validateMessage,
  type ExperimentAction,
  type ExperimentDto,
  type ListExperimentsRequest,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import type { GatewayEnv } from '../app/gateway.env';
import { GATEWAY_ENV } from '../app/tokens';

/** Experiments over NATS: the registry keeps and decides them. */
@Injectable()
export class ExperimentsService {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  /** Checked here too, so a bad body is a 400 naming every field before anything travels. */
  create(body: Record<string, unknown>, actor: string): Promise<ExperimentDto> {
    const req = checkExperimentSpec(validateMessage(CreateExperimentRequest, { ...body, actor }));
    return this.rpc.call(RegistrySubjects.createExperiment, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS });
  }

  async list(req: ListExperimentsRequest): Promise<ExperimentDto[]> {
    return (await this.rpc.call(RegistrySubjects.listExperiments, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 })).experiments;
  }

  get(id: string): Promise<ExperimentDto> {
    return this.rpc.call(RegistrySubjects.getExperiment, { id }, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  report(id: string): Promise<Record<string, unknown>> {
    return this.rpc.call(RegistrySubjects.experimentReport, { id }, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  change(id: string, action: ExperimentAction, actor: string, body: { reason?: string; version?: string }): Promise<ExperimentDto> {
    const req = validateMessage(ChangeExperimentRequest, { id, action, actor, ...(body.reason ? { reason: body.reason } : {}), ...(body.version ? { version: body.version } : {}) });
    return this.rpc.call(RegistrySubjects.changeExperiment, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS });
  }
}
