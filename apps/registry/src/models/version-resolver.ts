import { LogLensError, parseVersionRef } from '@loglens/contracts';
import type { EntityManager } from 'typeorm';
import { AliasEntity } from './alias.entity';
import { ModelVersionEntity } from './model-version.entity';
import { ModelEntity } from './model.entity';

export interface ResolvedVersion {
  model: ModelEntity;
  version: ModelVersionEntity;
}

/** Finds a model by name (optionally locking its row for the rest of the transaction). */
export async function findModel(m: EntityManager, name: string, lock = false): Promise<ModelEntity> {
  const model = await m.getRepository(ModelEntity).findOne({
    where: { name },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!model) throw new LogLensError('NOT_FOUND', `no model named "${name}"`);
  return model;
}

/** Finds the version a reference points to; NOT_FOUND names the reference and what is missing. */
export async function resolveVersionRef(m: EntityManager, ref: string, lockModel = false): Promise<ResolvedVersion> {
  const { model: name, selector } = parseVersionRef(ref);
  const model = await findModel(m, name, lockModel);
  const versions = m.getRepository(ModelVersionEntity);
  let version: ModelVersionEntity | null;
  switch (selector.kind) {
    case 'serving':
      version = model.servingVersionId ? await versions.findOne({ where: { id: model.servingVersionId } }) : null;
      if (!version) throw new LogLensError('NOT_FOUND', `${ref}: model "${name}" has no serving version; deploy one first`);
      break;
    case 'latest':
      version = await versions.findOne({ where: { modelId: model.id }, order: { version: 'DESC' } });
      if (!version) throw new LogLensError('NOT_FOUND', `${ref}: model "${name}" has no versions`);
      break;
    case 'number':
      version = await versions.findOne({ where: { modelId: model.id, version: selector.version } });
      if (!version) throw new LogLensError('NOT_FOUND', `${ref}: model "${name}" has no version ${selector.version}`);
      break;
    case 'alias': {
      const alias = await m.getRepository(AliasEntity).findOne({ where: { modelId: model.id, alias: selector.alias } });
      version = alias ? await versions.findOne({ where: { id: alias.versionId } }) : null;
      if (!version) throw new LogLensError('NOT_FOUND', `${ref}: model "${name}" has no alias "${selector.alias}"`);
      break;
    }
  }
  return { model, version };
}
