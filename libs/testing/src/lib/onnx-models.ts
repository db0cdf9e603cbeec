import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { kserveDatatypeOf } from '@loglens/contracts';
import { elemTypeFromCode, int64ToNumber } from '@loglens/onnx-format';
import { workspaceRoot } from './workspace';

/** Spec helpers for the third-party models in data/onnx-models (tests never read outside the repository). */

export const MODELS_DIR = join(workspaceRoot(), 'data', 'onnx-models');

export function modelBytes(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(join(MODELS_DIR, relative)));
}

export function modelJson<T>(relative: string): T {
  return JSON.parse(readFileSync(join(MODELS_DIR, relative), 'utf8')) as T;
}

/** numpy arrays as the *.data.json / *.expected.json files hold them: NaN written as null, nested by shape */
export interface NumpyJson {
  dtype: string;
  shape: number[];
  data: unknown[];
}

export function flat(data: unknown[]): Array<number | string | null> {
  return data.flat(Infinity) as Array<number | string | null>;
}

/** Rows (one nested list per row) of a 2-D numpy array. */
export function rowsOf(array: NumpyJson): Array<Array<number | null>> {
  return array.data as Array<Array<number | null>>;
}

export interface DecodedTensor {
  name: string;
  type: string;
  dims: number[];
  data: Array<number | string>;
}

/** Reads an ONNX TensorProto file (onnx backend test data). */
export function readTensorProto(relative: string): DecodedTensor {
  const t = onnx.TensorProto.decode(readFileSync(join(MODELS_DIR, relative)));
  const type = elemTypeFromCode(t.dataType);
  const dims = t.dims.map((d) => int64ToNumber(d as number));
  const count = dims.reduce((n, d) => n * d, 1);
  let data: Array<number | string>;
  if (type === 'string') {
    data = t.stringData.map((b) => Buffer.from(b).toString('utf8'));
  } else if (t.rawData && t.rawData.length > 0) {
    const view = new DataView(Uint8Array.from(t.rawData).buffer);
    const read: Record<string, [number, (at: number) => number]> = {
      float32: [4, (at) => view.getFloat32(at, true)],
      float64: [8, (at) => view.getFloat64(at, true)],
      int32: [4, (at) => view.getInt32(at, true)],
      int64: [8, (at) => Number(view.getBigInt64(at, true))],
      uint8: [1, (at) => view.getUint8(at)],
      int8: [1, (at) => view.getInt8(at)],
      bool: [1, (at) => view.getUint8(at)],
    };
    const reader = read[type];
    if (!reader) throw new Error(`raw ${type} tensors are not decoded by this helper`);
    data = Array.from({ length: count }, (_, i) => reader[1](i * reader[0]));
  } else if (t.floatData.length) data = [...t.floatData];
  else if (t.doubleData.length) data = [...t.doubleData];
  else if (t.int64Data.length) data = t.int64Data.map((v) => int64ToNumber(v as number));
  else data = [...t.int32Data];
  if (data.length !== count) throw new Error(`${relative}: ${data.length} values for dims [${dims.join(',')}]`);
  return { name: t.name, type, dims, data };
}

/** KServe datatype of an element type, for building infer requests from test data. */
export function kserve(type: string): string {
  return kserveDatatypeOf(type) ?? type;
}

/** Asserts numbers agree within `tolerance` (NaN matches NaN) and everything else exactly. */
export function expectClose(actual: ReadonlyArray<unknown>, expected: ReadonlyArray<unknown>, tolerance = 1e-4): void {
  expect(actual).toHaveLength(expected.length);
  const bad: string[] = [];
  expected.forEach((e, i) => {
    const a = actual[i];
    if (typeof e === 'number' && typeof a === 'number') {
      if (Number.isNaN(e) ? !Number.isNaN(a) : !(Math.abs(a - e) <= tolerance)) bad.push(`[${i}] ${a} vs ${e}`);
    } else if (a !== e) bad.push(`[${i}] ${JSON.stringify(a)} vs ${JSON.stringify(e)}`);
  });
  expect(bad.slice(0, 5)).toEqual([]);
}
