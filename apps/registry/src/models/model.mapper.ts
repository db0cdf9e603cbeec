import {
  batchingOf,
  formatVersionRef,
  type CheckOutcome,
  type ModelSummaryDto,
  type ModelVersionDto,
  type ModelVersionSummaryDto,
  type ServingVersionDto,
} from '@loglens/contracts';
import type { ModelVersionEntity } from './model-version.entity';
import type { ModelEntity } from './model.entity';

/** What a version's DTO shows besides its own row: the aliases on it and its latest validation outcome. */
export interface VersionContext {
  aliases: string[];
  validation: CheckOutcome | null;
}

const NONE: VersionContext = { aliases: [], validation: null };

export function toVersionSummary(model: ModelEntity, v: ModelVersionEntity, ctx: VersionContext = NONE): ModelVersionSummaryDto {
  return {
    ref: formatVersionRef(model.name, v.version),
    version: v.version,
    status: v.status,
    sha256: v.artifactSha256,
    sizeBytes: v.sizeBytes,
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdBy,
    aliases: ctx.aliases,
    tags: v.tags,
    archivedAt: v.archivedAt?.toISOString() ?? null,
    validation: ctx.validation,
  };
}

export function toVersionDto(model: ModelEntity, v: ModelVersionEntity, ctx: VersionContext = NONE): ModelVersionDto {
  return {
    ...toVersionSummary(model, v, ctx),
    model: model.name,
    irVersion: v.irVersion,
    opsets: v.opsets,
    producer: v.producer,
    signature: v.signature,
    featureSchema: v.featureSchema,
    inputName: v.inputName,
    scoreOutput: v.scoreOutput,
    threshold: v.threshold,
    metadata: v.metadata,
    servingSince: model.servingVersionId === v.id && model.servingSince ? model.servingSince.toISOString() : null,
    scalerSha256: v.scalerSha256,
  };
}

export function toModelSummary(
  model: ModelEntity,
  versions: ModelVersionEntity[],
  aliases: Map<string, string>,
  validation: Map<string, CheckOutcome>,
): ModelSummaryDto {
  const byId = new Map(versions.map((v) => [v.id, v]));
  const serving = model.servingVersionId ? byId.get(model.servingVersionId) : undefined;
  const aliasRefs: Record<string, string> = {};
  const aliasesOf = new Map<string, string[]>();
  for (const [alias, versionId] of aliases) {
    const v = byId.get(versionId);
    if (!v) continue;
    aliasRefs[alias] = formatVersionRef(model.name, v.version);
    aliasesOf.set(versionId, [...(aliasesOf.get(versionId) ?? []), alias]);
  }
  return {
    name: model.name,
    task: model.task,
    description: model.description,
    owner: model.owner,
    createdAt: model.createdAt.toISOString(),
    servingVersion: serving ? formatVersionRef(model.name, serving.version) : null,
    aliases: aliasRefs,
    versions: [...versions]
      .sort((a, b) => a.version - b.version)
      .map((v) => toVersionSummary(model, v, { aliases: aliasesOf.get(v.id) ?? [], validation: validation.get(v.id) ?? null })),
  };
}

export function toServingDto(model: ModelEntity, v: ModelVersionEntity): ServingVersionDto {
  return {
    model: model.name,
    ref: formatVersionRef(model.name, v.version),
    version: v.version,
    sha256: v.artifactSha256,
    sizeBytes: v.sizeBytes,
    inputName: v.inputName,
    scoreOutput: v.scoreOutput,
    featureNames: v.featureSchema?.features.map((f) => f.name) ?? null,
    threshold: v.threshold,
    allowMissing: v.metadata['allowMissing'] === true,
    batching: batchingOf(v.metadata),
    width: widthOf(v),
    // when it started serving; a version that is not serving (pinned) has only its creation
    deployedAt: (model.servingVersionId === v.id && model.servingSince ? model.servingSince : v.createdAt).toISOString(),
  };
}

/** Features per row: the schema's length, else the input's static last dimension, else metadata.featureCount. */
function widthOf(v: ModelVersionEntity): number | null {
  if (v.featureSchema) return v.featureSchema.features.length;
  const input = v.signature.inputs.find((i) => i.name === v.inputName);
  const last = input?.shape && input.shape.length >= 2 ? input.shape[input.shape.length - 1] : null;
  if (typeof last === 'number' && last > 0) return last;
  const declared = v.metadata['featureCount'];
  return typeof declared === 'number' && Number.isInteger(declared) && declared > 0 ? declared : null;
}
