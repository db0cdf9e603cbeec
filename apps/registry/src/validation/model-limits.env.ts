import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@loglens/nest-common';
import { DEFAULT_ONNX_LIMITS, type OnnxLimits } from '@loglens/onnx-format';

/**
 * Limits on uploaded ONNX files and on the sandbox that decodes and test-runs them (docs/security.md). The defaults
 * pass every model the project builds and the bundled third-party models with wide margins.
 */
export class ModelLimitsEnv extends BaseServiceEnv {
  /** largest model (or scaler) file, bytes */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  ONNX_MAX_BYTES: number = DEFAULT_ONNX_LIMITS.maxBytes;

  /** nodes in all graphs, subgraphs and functions together */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ONNX_MAX_NODES: number = DEFAULT_ONNX_LIMITS.maxNodes;

  /** graph nesting (If / Loop / Scan bodies); the main graph is 1 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  ONNX_MAX_GRAPH_DEPTH: number = DEFAULT_ONNX_LIMITS.maxGraphDepth;

  /** bytes of tensor data (initializers, tensor attributes) */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  ONNX_MAX_INITIALIZER_BYTES: number = DEFAULT_ONNX_LIMITS.maxInitializerBytes;

  /** elements of any one tensor or declared shape (product of its fixed dims) */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ONNX_MAX_TENSOR_ELEMENTS: number = DEFAULT_ONNX_LIMITS.maxTensorElements;

  /** memory of the child process that decodes and test-runs a model (V8 heap and resident-set cap), MiB */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(128)
  MODEL_SANDBOX_MEMORY_MB: number = 512;

  /** wall-clock time that child gets before it is killed, ms */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  MODEL_SANDBOX_TIMEOUT_MS: number = 20_000;
}

export interface ModelLimits {
  onnx: OnnxLimits;
  sandbox: { memoryMb: number; timeoutMs: number };
}

/** Injection token of the ModelLimits the registry runs with. */
export const MODEL_LIMITS = Symbol('MODEL_LIMITS');

export function modelLimitsOf(env: ModelLimitsEnv): ModelLimits {
  return {
    onnx: {
      maxBytes: env.ONNX_MAX_BYTES,
      maxNodes: env.ONNX_MAX_NODES,
      maxGraphDepth: env.ONNX_MAX_GRAPH_DEPTH,
      maxInitializerBytes: env.ONNX_MAX_INITIALIZER_BYTES,
      maxTensorElements: env.ONNX_MAX_TENSOR_ELEMENTS,
    },
    sandbox: { memoryMb: env.MODEL_SANDBOX_MEMORY_MB, timeoutMs: env.MODEL_SANDBOX_TIMEOUT_MS },
  };
}
