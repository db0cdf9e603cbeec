import { LogLensError, formatVersionRef, refusalOf, type VersionAction, type VersionFacts } from '@loglens/contracts';
import type { ModelVersionEntity } from './model-version.entity';
import type { ModelEntity } from './model.entity';

/** The facts the lifecycle table judges, from the stored rows; `ref` defaults to `name@N`. */
export function versionFacts(model: ModelEntity, version: ModelVersionEntity, aliases: readonly string[] = [], ref?: string): VersionFacts {
  return { ref: ref ?? formatVersionRef(model.name, version.version), status: version.status, archived: !!version.archivedAt, aliases };
}

/** Throws the table's refusal (its code and sentence) when the lifecycle table refuses `action`. */
export function enforce(action: VersionAction, facts: VersionFacts): void {
  const refused = refusalOf(action, facts);
  if (refused) throw new LogLensError(refused.code, refused.message);
}
