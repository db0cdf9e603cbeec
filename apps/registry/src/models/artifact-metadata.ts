import { LogLensError, type FeatureSchemaDto, type ModelSignatureDto } from '@loglens/contracts';
import { inspectOnnx, OnnxFormatError, type OnnxInspection } from '@loglens/onnx-format';

export interface ServingFacts {
  inspection: OnnxInspection;
  signature: ModelSignatureDto;
  inputName: string;
  scoreOutput: string;
  featureSchema: FeatureSchemaDto | null;
  threshold: number | null;
  /** what is left of the uploaded metadata after the fields that have columns */
  extra: Record<string, unknown>;
}

/**
 * Reads what the registry stores about an artifact from the ONNX file itself, checked against the uploader's
 * metadata. Only the checks that make a version unusable live here; the full validation report is separate.
 */
export function readServingFacts(bytes: Uint8Array, metadata: Record<string, unknown>): ServingFacts {
  let inspection: OnnxInspection;
  try {
    inspection = inspectOnnx(bytes);
  } catch (e) {
    if (e instanceof OnnxFormatError) throw new LogLensError('INVALID_MODEL', `artifact is not a readable ONNX model: ${e.message}`);
    throw e;
  }
  if (inspection.externalData.length > 0) {
    const where = inspection.externalData.map((x) => `${x.tensor} → ${x.location}`).join(', ');
    throw new LogLensError('INVALID_MODEL', `external tensor data is not accepted (it would read files outside the artifact): ${where}`);
  }
  if (inspection.inputs.length === 0) throw new LogLensError('INVALID_MODEL', 'the model graph has no inputs');
  const { featureSchema: rawSchema, threshold: rawThreshold, inputName: rawInput, scoreOutput: rawOutput, ...extra } = metadata;

  const inputName = typeof rawInput === 'string' ? rawInput : inspection.inputs[0].name;
  const input = inspection.inputs.find((i) => i.name === inputName);
  if (!input) {
    throw new LogLensError('INVALID_MODEL', `metadata.inputName "${inputName}" is not an input of the graph (inputs: ${inspection.inputs.map((i) => i.name).join(', ')})`);
  }
  const tensorOutputs = inspection.outputs.filter((o) => o.kind === 'tensor');
  if (tensorOutputs.length === 0) throw new LogLensError('INVALID_MODEL', 'the model has no tensor output to read scores from');
  const scoreOutput = typeof rawOutput === 'string' ? rawOutput : tensorOutputs[0].name;
  if (!tensorOutputs.some((o) => o.name === scoreOutput)) {
    throw new LogLensError('INVALID_MODEL', `metadata.scoreOutput "${scoreOutput}" is not a tensor output (tensor outputs: ${tensorOutputs.map((o) => o.name).join(', ')})`);
  }

  const featureSchema = rawSchema === undefined || rawSchema === null ? null : parseFeatureSchema(rawSchema);
  const width = input.shape && input.shape.length >= 2 ? input.shape[input.shape.length - 1] : null;
  if (featureSchema && typeof width === 'number' && featureSchema.features.length !== width) {
    throw new LogLensError(
      'INVALID_MODEL',
      `the feature schema lists ${featureSchema.features.length} features but input "${inputName}" takes ${width}`,
    );
  }
  if (rawThreshold !== undefined && rawThreshold !== null && (typeof rawThreshold !== 'number' || !Number.isFinite(rawThreshold))) {
    throw new LogLensError('VALIDATION_FAILED', 'metadata.threshold must be a finite number');
  }
  return {
    inspection,
    signature: {
      inputs: inspection.inputs.map(({ name, kind, elemType, shape }) => ({ name, kind, elemType, shape })),
      outputs: inspection.outputs.map(({ name, kind, elemType, shape }) => ({ name, kind, elemType, shape })),
    },
    inputName,
    scoreOutput,
    featureSchema,
    threshold: typeof rawThreshold === 'number' ? rawThreshold : null,
    extra,
  };
}

function parseFeatureSchema(raw: unknown): FeatureSchemaDto {
  const bad = (why: string) => new LogLensError('VALIDATION_FAILED', `metadata.featureSchema ${why}`);
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
  return { version, features: out };
}
