import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from '@loglens/testing';

export interface GoldenTensor {
  type: string;
  dims: number[];
  data: Array<number | string | null>;
}

export interface GoldenCase {
  model: string;
  inputs: Record<string, GoldenTensor>;
  outputs: Record<string, GoldenTensor>;
}

const root = () => path.join(workspaceRoot(), 'data/onnx-models');

/** onnxruntime-node outputs recorded for the shared models (data/onnx-models/golden_outputs_ort_node.json). */
export function goldenCase(model: string): GoldenCase {
  const all = JSON.parse(readFileSync(path.join(root(), 'golden_outputs_ort_node.json'), 'utf8')) as { cases: GoldenCase[] };
  const found = all.cases.find((c) => c.model === model);
  if (!found) throw new Error(`no golden case for ${model}`);
  return found;
}

export function modelFile(rel: string): Buffer {
  return readFileSync(path.join(root(), rel));
}

/** A single [N, F] input as array rows. */
export function arrayRows(input: GoldenTensor): number[][] {
  const [n, f] = input.dims;
  return Array.from({ length: n }, (_, r) => input.data.slice(r * f, (r + 1) * f) as number[]);
}

/** Several [N, 1] inputs as one object per row, a field per input. */
export function namedRows(inputs: Record<string, GoldenTensor>): Array<Record<string, number | string | null>> {
  const n = Object.values(inputs)[0].dims[0];
  return Array.from({ length: n }, (_, r) =>
    Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, t.data[r] === 'NaN' ? null : t.data[r]])),
  );
}
