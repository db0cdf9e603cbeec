import type { TensorElemType } from './model.dto';

/** Open Inference Protocol (KServe v2) tensor datatypes. */
export type KServeDatatype = 'BOOL' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP16' | 'FP32' | 'FP64' | 'BYTES';

/** The KServe datatype of each ONNX element type (the worker's tensors, the gateway's v2 metadata, the tests). */
export const KSERVE_BY_ELEM: Readonly<Record<Exclude<TensorElemType, 'unknown'>, KServeDatatype>> = {
  float32: 'FP32',
  float64: 'FP64',
  float16: 'FP16',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  bool: 'BOOL',
  string: 'BYTES',
};

/** The KServe datatype of an element type, or null for types KServe has no name for ('unknown', a typo). */
export function kserveDatatypeOf(type: string): KServeDatatype | null {
  return Object.prototype.hasOwnProperty.call(KSERVE_BY_ELEM, type) ? KSERVE_BY_ELEM[type as keyof typeof KSERVE_BY_ELEM] : null;
}
