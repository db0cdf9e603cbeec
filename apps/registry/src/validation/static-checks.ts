import {
  KNOWN_TEMPLATES_MAX,
  TEMPLATE_TEXT_MAX,
  type FeatureSchemaDto,
  type ModelSignatureDto,
  type ValidationCheckDto,
} from '@loglens/contracts';
import { inspectOnnx, OnnxFormatError, type OnnxInspection, type OnnxValueInfo } from '@loglens/onnx-format';

/** What the bundled onnxruntime-node (1.30) runs: newer IR / opsets fail to load there. */
export const SUPPORTED = { irMin: 3, irMax: 11, opsets: { '': 23, 'ai.onnx': 23, 'ai.onnx.ml': 5 } as Record<string, number> };

export interface StaticFacts {
  inspection: OnnxInspection;
  signature: ModelSignatureDto;
  inputName: string;
  scoreOutput: string;
  tensorOutputs: string[];
  featureSchema: FeatureSchemaDto | null;
  /** features per row when the file or the schema says so */
  width: number | null;
  fixedBatch: number | null;
  threshold: number | null;
  extra: Record<string, unknown>;
}

export interface StaticResult {
  checks: ValidationCheckDto[];
  /** absent when the file cannot even be read */
  facts: StaticFacts | null;
}

/**
 * Every check that needs only the bytes and the uploader's metadata. Decodes the file: it runs in the sandbox child
 * (model-sandbox-child.ts) after the wire-format pre-scan, never in the registry process. A failing check refuses
 * the upload.
 */
export function staticChecks(bytes: Uint8Array, metadata: Record<string, unknown>, scaler: Uint8Array | null = null): StaticResult {
  const checks: ValidationCheckDto[] = [];
  let inspection: OnnxInspection;
  try {
    inspection = inspectOnnx(bytes);
  } catch (e) {
    const why = e instanceof OnnxFormatError ? e.message : String(e);
    checks.push({ check: 'protobuf', outcome: 'fail', message: `The file is not a readable ONNX model (${why}); a truncated or non-ONNX upload looks like this.` });
    return { checks, facts: null };
  }
  checks.push({
    check: 'protobuf',
    outcome: 'pass',
    message: `ONNX model parsed: ${inspection.nodeCount} nodes, produced by ${inspection.producerName || 'an unnamed tool'} ${inspection.producerVersion}`.trim() + '.',
  });
  checks.push(irOpsetCheck(inspection));
  checks.push(
    inspection.externalData.length === 0
      ? { check: 'external-data', outcome: 'pass', message: 'All tensor data is inside the file.' }
      : {
          check: 'external-data',
          outcome: 'fail',
          message: `Tensor data stored outside the file is refused (${inspection.externalData
            .map((x) => `${x.tensor} → "${x.location}"${isEscaping(x.location) ? ' — an absolute or parent path, a file-read hole' : ''}`)
            .join(', ')}): export the model with its weights embedded.`,
        },
  );
  checks.push(
    inspection.customDomains.length === 0
      ? { check: 'custom-ops', outcome: 'pass', message: 'Only standard operator domains (ai.onnx, ai.onnx.ml).' }
      : {
          check: 'custom-ops',
          outcome: 'fail',
          message: `Custom operator domain(s) ${inspection.customDomains.join(', ')} have no kernels in the bundled onnxruntime.`,
        },
  );

  const { featureSchema: rawSchema, threshold: rawThreshold, inputName: rawInput, scoreOutput: rawOutput, ...extra } = metadata;
  const inputs = inspection.inputs;
  const tensorOutputs = inspection.outputs.filter((o) => o.kind === 'tensor');
  const inputName = typeof rawInput === 'string' ? rawInput : (inputs[0]?.name ?? '');
  const input = inputs.find((i) => i.name === inputName);
  let schema: FeatureSchemaDto | null = null;
  let schemaError: string | null = null;
  try {
    schema = rawSchema === undefined || rawSchema === null ? null : parseFeatureSchema(rawSchema);
  } catch (e) {
    schemaError = (e as Error).message;
  }
  const staticWidth = input ? lastDim(input) : null;
  checks.push(featureSchemaCheck(inputs, input, inputName, schema, schemaError, staticWidth));
  const oversized = inputs.map((i) => ({ i, values: valuesPerRow(i) })).find((x) => x.values > MAX_VALUES_PER_ROW);
  if (oversized) {
    checks.push({
      check: 'input-size',
      outcome: 'fail',
      message: `Input "${oversized.i.name}" declares ${oversized.values.toLocaleString('en')} values per row (shape [${(oversized.i.shape ?? []).map((d) => d ?? '?').join(', ')}]): more than ${MAX_VALUES_PER_ROW.toLocaleString('en')} is refused before any test inference (one row alone would need ${Math.round((oversized.values * 8) / 2 ** 20).toLocaleString('en')} MiB).`,
    });
  }

  const nonTensor = inspection.outputs.filter((o) => o.kind !== 'tensor');
  let scoreOutput = typeof rawOutput === 'string' ? rawOutput : pickScoreOutput(tensorOutputs);
  if (tensorOutputs.length === 0) {
    checks.push({ check: 'outputs', outcome: 'fail', message: 'The model has no tensor output, so nothing can be served.' });
    scoreOutput = '';
  } else if (!tensorOutputs.some((o) => o.name === scoreOutput)) {
    checks.push({
      check: 'outputs',
      outcome: 'fail',
      message: `metadata.scoreOutput "${scoreOutput}" is not a tensor output (tensor outputs: ${tensorOutputs.map((o) => o.name).join(', ')}).`,
    });
  } else {
    const skipped = nonTensor.length
      ? ` Non-tensor output(s) ${nonTensor.map((o) => `${o.name} (${o.kind}, e.g. a ZipMap)`).join(', ')} cannot be fetched and are not served.`
      : '';
    checks.push({
      check: 'outputs',
      outcome: nonTensor.length ? 'warn' : 'pass',
      message: `Serving tensor output(s) ${tensorOutputs.map((o) => o.name).join(', ')}; scores are read from "${scoreOutput}".${skipped}`,
    });
  }

  const fixedBatch = batchOf(inputs);
  checks.push(
    fixedBatch === null
      ? { check: 'batch-dimension', outcome: 'pass', message: 'The batch dimension is dynamic: requests are batched freely.' }
      : {
          check: 'batch-dimension',
          outcome: 'warn',
          message: `The inputs have a fixed batch dimension of ${fixedBatch} (an old exporter): batches are served by splitting them into runs of ${fixedBatch}.`,
        },
  );
  if (scaler) checks.push(scalerCheck(scaler, staticWidth ?? schema?.features.length ?? null));

  if (rawThreshold !== undefined && rawThreshold !== null && (typeof rawThreshold !== 'number' || !Number.isFinite(rawThreshold))) {
    checks.push({ check: 'feature-schema', outcome: 'fail', message: 'metadata.threshold must be a finite number.' });
  }
  const width = typeof staticWidth === 'number' ? staticWidth : (schema?.features.length ?? numberOr(extra['featureCount']));
  return {
    checks,
    facts: {
      inspection,
      signature: {
        inputs: inspection.inputs.map(signatureOf),
        outputs: inspection.outputs.map(signatureOf),
      },
      inputName,
      scoreOutput,
      tensorOutputs: tensorOutputs.map((o) => o.name),
      featureSchema: schema,
      width,
      fixedBatch,
      threshold: typeof rawThreshold === 'number' && Number.isFinite(rawThreshold) ? rawThreshold : null,
      extra,
    },
  };
}

function irOpsetCheck(i: OnnxInspection): ValidationCheckDto {
  const problems: string[] = [];
  if (i.irVersion < SUPPORTED.irMin || i.irVersion > SUPPORTED.irMax) {
    problems.push(`IR version ${i.irVersion} (supported ${SUPPORTED.irMin}–${SUPPORTED.irMax})`);
  }
  for (const o of i.opsets) {
    const max = SUPPORTED.opsets[o.domain];
    if (max !== undefined && o.version > max) problems.push(`${o.domain || 'ai.onnx'} opset ${o.version} (supported up to ${max})`);
  }
  const list = i.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ');
  return problems.length
    ? { check: 'ir-opsets', outcome: 'fail', message: `Not supported by the bundled onnxruntime-node 1.30: ${problems.join('; ')}.` }
    : { check: 'ir-opsets', outcome: 'pass', message: `IR ${i.irVersion}, opsets ${list}: supported by onnxruntime-node 1.30.` };
}

function featureSchemaCheck(
  inputs: OnnxValueInfo[],
  input: OnnxValueInfo | undefined,
  inputName: string,
  schema: FeatureSchemaDto | null,
  schemaError: string | null,
  width: number | null,
): ValidationCheckDto {
  if (inputs.length === 0) return { check: 'feature-schema', outcome: 'fail', message: 'The model graph has no inputs.' };
  if (!input) {
    return { check: 'feature-schema', outcome: 'fail', message: `metadata.inputName "${inputName}" is not an input of the graph (inputs: ${inputs.map((i) => i.name).join(', ')}).` };
  }
  if (schemaError) return { check: 'feature-schema', outcome: 'fail', message: schemaError };
  const describe = (v: OnnxValueInfo) => `${v.name} ${v.elemType ?? '?'}[${(v.shape ?? []).map((d) => d ?? '?').join(',')}]`;
  if (inputs.length > 1) {
    return {
      check: 'feature-schema',
      outcome: schema ? 'warn' : 'pass',
      message: `${inputs.length} named inputs (${inputs.map(describe).join(', ')}): rows are objects with one field per input.${schema ? ' The feature schema is kept as documentation only.' : ''}`,
    };
  }
  if (!schema) {
    return {
      check: 'feature-schema',
      outcome: 'warn',
      message: `No feature schema in the metadata: rows must be arrays of ${width ?? 'the right number of'} values for ${describe(input)}, and drift checks cannot name features.`,
    };
  }
  if (typeof width === 'number' && schema.features.length !== width) {
    return {
      check: 'feature-schema',
      outcome: 'fail',
      message: `The feature schema lists ${schema.features.length} features but input "${input.name}" takes ${width} (${describe(input)}).`,
    };
  }
  if (input.elemType !== 'float32' && input.elemType !== 'float64') {
    return { check: 'feature-schema', outcome: 'warn', message: `Input "${input.name}" is ${input.elemType}: feature values are cast to it.` };
  }
  return {
    check: 'feature-schema',
    outcome: 'pass',
    message: `${schema.features.length} features (${schema.version}) match input ${describe(input)}.`,
  };
}

function scalerCheck(scaler: Uint8Array, width: number | null): ValidationCheckDto {
  try {
    const s = inspectOnnx(scaler);
    const out = s.outputs.find((o) => o.kind === 'tensor');
    const outWidth = out ? lastDim(out) : null;
    if (s.inputs.length !== 1 || !out) return { check: 'scaler', outcome: 'fail', message: 'The scaler must have one input and a tensor output.' };
    if (width !== null && outWidth !== null && outWidth !== width) {
      return { check: 'scaler', outcome: 'fail', message: `The scaler outputs ${outWidth} features but the model takes ${width}.` };
    }
    return { check: 'scaler', outcome: 'pass', message: `Scaler ONNX (${s.inputs[0].name} → ${out.name}) is applied before the model.` };
  } catch (e) {
    return { check: 'scaler', outcome: 'fail', message: `The scaler is not a readable ONNX model: ${(e as Error).message}` };
  }
}

/** First float tensor output, else the first tensor output: probabilities and scores rather than labels. */
function pickScoreOutput(tensors: OnnxValueInfo[]): string {
  const floats = tensors.filter((o) => o.elemType === 'float32' || o.elemType === 'float64');
  return (floats[0] ?? tensors[0])?.name ?? '';
}

function batchOf(inputs: OnnxValueInfo[]): number | null {
  for (const i of inputs) {
    const first = i.shape?.[0];
    if (i.shape && i.shape.length >= 2 && typeof first === 'number' && first > 0) return first;
  }
  return null;
}

function lastDim(v: OnnxValueInfo): number | null {
  if (!v.shape || v.shape.length < 2) return null;
  const d = v.shape[v.shape.length - 1];
  return typeof d === 'number' && d > 0 ? d : null;
}

function signatureOf(v: OnnxValueInfo): ModelSignatureDto['inputs'][number] {
  return { name: v.name, kind: v.kind, elemType: v.elemType, shape: v.shape };
}

function isEscaping(location: string): boolean {
  return location.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(location) || location.split(/[\\/]/).includes('..');
}

function numberOr(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}

/** Values one row may declare across an input's non-batch dimensions (1 Mi: 4 MiB of float32). */
export const MAX_VALUES_PER_ROW = 1 << 20;

/** Values per row an input declares: the product of its fixed dimensions after the first (symbolic ones count 1). */
function valuesPerRow(v: OnnxValueInfo): number {
  const dims = v.shape ?? [];
  let n = 1;
  dims.forEach((d, k) => {
    // the first dimension is the batch unless it is the only one
    if (k === 0 && dims.length > 1) return;
    if (typeof d === 'number' && d > 0) n *= d;
  });
  return n;
}

export function parseFeatureSchema(raw: unknown): FeatureSchemaDto {
  const bad = (why: string) => new Error(`metadata.featureSchema ${why}`);
  if (typeof raw !== 'object' || raw === null) throw bad('must be an object {version, features: [{name, dtype}]}');
  const { version, features } = raw as { version?: unknown; features?: unknown };
  if (typeof version !== 'string') throw bad('.version must be a string');
  if (!Array.isArray(features) || features.length === 0) throw bad('.features must be a non-empty array');
  const names = new Set<string>();
  const out = features.map((f: unknown, i) => {
    const { name, dtype, description } = (f ?? {}) as { name?: unknown; dtype?: unknown; description?: unknown };
    if (typeof name !== 'string' || !name) throw bad(`.features[${i}].name must be a non-empty string`);
    if (names.has(name)) throw bad(`.features[${i}].name "${name}" is repeated`);
    names.add(name);
    if (dtype !== undefined && dtype !== 'float32') throw bad(`.features[${i}].dtype must be "float32"`);
    return { name, dtype: 'float32' as const, ...(typeof description === 'string' ? { description } : {}) };
  });
  const known = (raw as { knownTemplates?: unknown }).knownTemplates;
  if (known === undefined) return { version, features: out };
  if (!Array.isArray(known) || known.length > KNOWN_TEMPLATES_MAX) throw bad(`.knownTemplates must be an array of at most ${KNOWN_TEMPLATES_MAX} template texts`);
  const bad1 = known.findIndex((t) => typeof t !== 'string' || t.length > TEMPLATE_TEXT_MAX);
  if (bad1 >= 0) throw bad(`.knownTemplates[${bad1}] must be a string of at most ${TEMPLATE_TEXT_MAX} characters`);
  return { version, features: out, knownTemplates: known as string[] };
}
