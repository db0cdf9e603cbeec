import { LogLensError, parseVersionRef } from '@loglens/contracts';
import type { EntityManager } from 'typeorm';
import { ModelVersionEntity } from './model-version.entity';
import { ModelEntity } from './model.entity';

export interface ResolvedVersion {
  model: ModelEntity;
  version: ModelVersionEntity;
}

/** Finds the version a reference points to; NOT_FOUND says which part is missing. */
export async function resolveVersionRef(m: EntityManager, ref: string, lockModel = false): Promise<ResolvedVersion> {
  const { model: name, selector } = parseVersionRef(ref);
  const model = await m.getRepository(ModelEntity).findOne({
    where: { name },
    ...(lockModel ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!model) throw new LogLensError('NOT_FOUND', `no model named "${name}"`);
  const versions = m.getRepository(ModelVersionEntity);
  let version: ModelVersionEntity | null;
  switch (selector.kind) {
    case 'serving':
      version = model.servingVersionId ? await versions.findOne({ where: { id: model.servingVersionId } }) : null;
      if (!version) throw new LogLensError('NOT_FOUND', `model "${name}" has no serving version; deploy one first`);
      break;
    case 'latest':
      version = await versions.findOne({ where: { modelId: model.id }, order: { version: 'DESC' } });
      if (!version) throw new LogLensError('NOT_FOUND', `model "${name}" has no versions`);
      break;
    case 'number':
      version = await versions.findOne({ where: { modelId: model.id, version: selector.version } });
      if (!version) throw new LogLensError('NOT_FOUND', `model "${name}" has no version ${selector.version}`);
      break;
    case 'alias':
      throw new LogLensError('NOT_FOUND', `model "${name}" has no alias "${selector.alias}"`);
  }
  return { model, version };
}
