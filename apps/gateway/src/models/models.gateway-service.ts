import { Inject, Injectable } from '@nestjs/common';
import {
  decodePredictReplyFrame,
  encodePredictFrame,
  InferenceSubjects,
  LogLensError,
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

/**
 * Rows of at least this many numbers go to the workers as a tensor frame (predict-frame.ts): 256 rows × 16 took half
 * the gateway's and the worker's CPU per request and gave 1.6–2.8× the requests/s of JSON; a single row gained nothing
 * measurable (its frame head costs about what its JSON does), so small requests stay JSON (docs/benchmarks.md).
 */
export const PREDICT_BINARY_MIN_CELLS = 256;
/** After a pool without a worker answering predict-binary (older workers), JSON only for this long. */
const JSON_ONLY_MS = 60_000;

/** HTTP → NATS: forwards model requests to the registry and the worker pool. */
@Injectable()
export class ModelsGatewayService {
  private jsonOnlyUntil = 0;

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
    if (req.rows.length * (Array.isArray(req.rows[0]) ? req.rows[0].length : 0) >= PREDICT_BINARY_MIN_CELLS && Date.now() >= this.jsonOnlyUntil) {
      const frame = encodePredictFrame(req);
      if (frame) return this.predictBinary(req, frame);
    }
    return this.predictJson(req);
  }

  private predictJson(req: PredictRequest): Promise<PredictReply> {
    return this.rpc.call(InferenceSubjects.predict, req, { timeoutMs: req.timeoutMs ?? this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }

  private async predictBinary(req: PredictRequest, frame: Uint8Array): Promise<PredictReply> {
    let reply: Uint8Array;
    try {
      reply = await this.rpc.callBytes(InferenceSubjects.predictBinary, frame, { timeoutMs: req.timeoutMs ?? this.env.REQUEST_TIMEOUT_MS, retries: 1 });
    } catch (e) {
      if (!(e instanceof LogLensError) || e.code !== 'UNAVAILABLE') throw e;
      // no worker answers the frame (older workers): JSON, and only JSON for a while
      this.jsonOnlyUntil = Date.now() + JSON_ONLY_MS;
      return this.predictJson(req);
    }
    return decodePredictReplyFrame(reply);
  }
}
