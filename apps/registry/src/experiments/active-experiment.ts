import { In, type EntityManager } from 'typeorm';
import { ACTIVE_EXPERIMENT_STATES, LogLensError } from '@loglens/contracts';
import type { ModelEntity } from '../models/model.entity';
import { ExperimentEntity } from './experiment.entity';

/** The model's running or paused experiment, if any. */
export function activeExperimentOf(m: EntityManager, modelId: string): Promise<ExperimentEntity | null> {
  return m.getRepository(ExperimentEntity).findOne({ where: { modelId, state: In([...ACTIVE_EXPERIMENT_STATES]) } });
}

/**
 * A deploy or rollback would pull the serving version from under the experiment's arms: refused (CONFLICT, 409)
 * naming the experiment, until it is promoted or aborted. The caller holds the model's row lock.
 */
export async function refuseWhileExperimentRuns(m: EntityManager, model: ModelEntity, what: string): Promise<void> {
  const running = await activeExperimentOf(m, model.id);
  if (!running) return;
  const arms = running.candidates.map((c) => `${model.name}@${c.version} at ${c.weight}%`).join(', ');
  throw new LogLensError(
    'CONFLICT',
    `model "${model.name}" has a ${running.state} ${running.kind} experiment ${running.id} (control ${model.name}@${running.controlVersion}; ${arms}): promote or abort it before a ${what}`,
  );
}
