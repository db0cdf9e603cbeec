import { formatVersionRef, type ModelSummaryDto, type ModelVersionDto, type ModelVersionSummaryDto, type ServingVersionDto } from '@loglens/contracts';
import type { ModelVersionEntity } from './model-version.entity';
import type { ModelEntity } from './model.entity';

export function toVersionSummary(model: ModelEntity, v: ModelVersionEntity): ModelVersionSummaryDto {
  return {
    ref: formatVersionRef(model.name, v.version),
    version: v.version,
    status: v.status,
    sha256: v.artifactSha256,
    sizeBytes: v.sizeBytes,
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdBy,
  };
}

export function toVersionDto(model: ModelEntity, v: ModelVersionEntity): ModelVersionDto {
  return {
    ...toVersionSummary(model, v),
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
  };
}

export function toModelSummary(model: ModelEntity, versions: ModelVersionEntity[]): ModelSummaryDto {
  const serving = versions.find((v) => v.id === model.servingVersionId);
  return {
    name: model.name,
    task: model.task,
    description: model.description,
    createdAt: model.createdAt.toISOString(),
    servingVersion: serving ? formatVersionRef(model.name, serving.version) : null,
    versions: versions.sort((a, b) => a.version - b.version).map((v) => toVersionSummary(model, v)),
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
    deployedAt: (model.servingSince ?? v.createdAt).toISOString(),
  };
}
