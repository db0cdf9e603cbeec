import { onnx } from 'onnx-proto';
import type { TensorElemType } from '@loglens/contracts';

/** The element type names every LogLens project uses (defined once, in the contracts). */
export type OnnxElemType = TensorElemType;

/** A tensor dimension: a fixed size, a symbolic name, or null when the model leaves it unspecified. */
export type OnnxDim = number | string | null;

const { DataType } = onnx.TensorProto;

// onnx-proto 8 mirrors ONNX 1.10: newer element types (bfloat16 has a code here, float8/int4 do not) read as 'unknown'.
const ELEM_TYPE_BY_CODE: ReadonlyMap<number, OnnxElemType> = new Map<number, OnnxElemType>([
  [DataType.FLOAT, 'float32'],
  [DataType.DOUBLE, 'float64'],
  [DataType.FLOAT16, 'float16'],
  [DataType.INT8, 'int8'],
  [DataType.INT16, 'int16'],
  [DataType.INT32, 'int32'],
  [DataType.INT64, 'int64'],
  [DataType.UINT8, 'uint8'],
  [DataType.UINT16, 'uint16'],
  [DataType.UINT32, 'uint32'],
  [DataType.UINT64, 'uint64'],
  [DataType.BOOL, 'bool'],
  [DataType.STRING, 'string'],
]);

const CODE_BY_ELEM_TYPE: ReadonlyMap<OnnxElemType, number> = new Map(
  [...ELEM_TYPE_BY_CODE].map(([code, name]) => [name, code] as const),
);

/** Maps an ONNX TensorProto.DataType code to its LogLens name. */
export function elemTypeFromCode(code: number | null | undefined): OnnxElemType {
  return (code != null && ELEM_TYPE_BY_CODE.get(code)) || 'unknown';
}

/** Maps a LogLens element type name to its ONNX TensorProto.DataType code. */
export function elemTypeToCode(elemType: OnnxElemType): number {
  const code = CODE_BY_ELEM_TYPE.get(elemType);
  if (code === undefined) throw new RangeError(`element type '${elemType}' cannot be written to ONNX`);
  return code;
}

// onnx-proto's typings name a global `Long` that no installed @types declares (skipLibCheck hides it), so the
// structural shape is spelled out here.
interface LongLike {
  toNumber(): number;
}

/** Reads an int64 field, which protobufjs decodes as a Long when the `long` package is installed, else a number. */
export function int64ToNumber(value: number | LongLike | null | undefined): number {
  if (value == null) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
