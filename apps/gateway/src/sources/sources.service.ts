import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import {
  LogLensError,
  RegistrySubjects,
  type BindSourceRequest,
  type CreateTrainJobRequest,
  type JobDto,
  type ListJobsRequest,
  type SourceBindingDto,
  type TrainParams,
  type UnbindSourceRequest,
} from '@loglens/contracts';
import { NATS_CONNECTION, RpcClient, putPayload } from '@loglens/nest-common';
import type { GatewayEnv } from '../app/gateway.env';
import { GATEWAY_ENV } from '../app/tokens';
import { recordsOfFile } from './train-input';

export interface TrainFile {
  name: string;
  bytes: Buffer;
}

/** Train jobs and source bindings over NATS (the registry keeps both; a trainer runs the jobs). */
@Injectable()
export class SourcesService {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  /** Queues a train job; from the LOGS stream unless a file is given, in which case its records go to the payloads bucket. */
  async train(model: string, params: TrainParams, file: TrainFile | null, createdBy: string): Promise<JobDto> {
    const req: CreateTrainJobRequest = { model, params, createdBy };
    if (file) {
      const records = recordsOfFile(file.bytes);
      if (records.length === 0) throw new LogLensError('VALIDATION_FAILED', 'the "logs" file holds no log lines', ['logs: no lines']);
      // the trainer reads the records back from the object store: a file of any size never rides one NATS message
      const payloadObject = await putPayload(this.nc, { records });
      req.file = { payloadObject, name: file.name.slice(0, 256), bytes: file.bytes.byteLength, lines: records.length };
    }
    // a source with no logs in LOGS is refused by the registry (404) before anything is queued
    return this.rpc.call(RegistrySubjects.createJob, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS });
  }

  job(id: string): Promise<JobDto> {
    return this.rpc.call(RegistrySubjects.getJob, { id }, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  async jobs(req: ListJobsRequest): Promise<JobDto[]> {
    return (await this.rpc.call(RegistrySubjects.listJobs, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 })).jobs;
  }

  bind(req: BindSourceRequest): Promise<SourceBindingDto> {
    return this.rpc.call(RegistrySubjects.bindSource, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS });
  }

  unbind(req: UnbindSourceRequest): Promise<SourceBindingDto> {
    return this.rpc.call(RegistrySubjects.unbindSource, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS });
  }

  async bindings(): Promise<SourceBindingDto[]> {
    return (await this.rpc.call(RegistrySubjects.listBindings, {}, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 })).bindings;
  }
}
