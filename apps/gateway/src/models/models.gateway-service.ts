import { Inject, Injectable } from '@nestjs/common';
import {
  InferenceSubjects,
  RegistrySubjects,
  type CurrentVersionsReply,
  type DeployVersionReply,
  type GetVersionReply,
  type InferReply,
  type InferRequest,
  type ListModelsReply,
  type PredictReply,
  type PredictRequest,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { GATEWAY_ENV } from '../app/tokens';
import type { GatewayEnv } from '../app/gateway.env';

/** HTTP → NATS: forwards model requests to the registry and the worker pool. */
@Injectable()
export class ModelsGatewayService {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  list(): Promise<ListModelsReply> {
    return this.rpc.call(RegistrySubjects.listModels, {}, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  current(): Promise<CurrentVersionsReply> {
    return this.rpc.call(RegistrySubjects.currentVersions, {}, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  get(ref: string): Promise<GetVersionReply> {
    return this.rpc.call(RegistrySubjects.getVersion, { ref }, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  /** Not retried: a timed-out deploy may have happened; the caller checks the history before trying again. */
  deploy(ref: string, actor: string, reason?: string, expectedCurrent?: string): Promise<DeployVersionReply> {
    return this.rpc.call(RegistrySubjects.deployVersion, { ref, actor, reason, ...(expectedCurrent !== undefined ? { expectedCurrent } : {}) }, { timeoutMs: this.env.REQUEST_TIMEOUT_MS });
  }

  /** Typed tensors (KServe v2): a pure function of its inputs, so one retry is safe, as for predict. */
  infer(req: InferRequest): Promise<InferReply> {
    return this.rpc.call(InferenceSubjects.infer, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  /** The same with tensors as bytes: a request frame in, the worker's reply frame out (see v2-binary.ts). */
  inferBinary(frame: Uint8Array): Promise<Uint8Array> {
    return this.rpc.callBytes(InferenceSubjects.inferBinary, frame, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  /** Scoring is a pure function of the rows, so one retry on timeout or a vanished worker is safe. */
  predict(req: PredictRequest): Promise<PredictReply> {
    return this.rpc.call(InferenceSubjects.predict, req, { timeoutMs: req.timeoutMs ?? this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }
}
