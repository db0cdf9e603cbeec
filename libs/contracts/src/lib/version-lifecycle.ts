/**
 * The version lifecycle in one table: which action the registry accepts on a version in which state, the reason it
 * gives when it refuses, and the status an accepted action leaves. The registry enforces through `refusalOf`; the
 * console enables its buttons from `allowedActions` and shows `refusal` as the reason. Dependency-free (exported by
 * `@loglens/contracts/protocol`).
 */
import { VERSION_STATUSES, type VersionStatus } from './model.dto';
import type { CheckOutcome } from './validation.dto';

export const VERSION_ACTIONS = [
  /** make it the serving version */
  'deploy',
  /** be what a rollback serves again */
  'rollback-target',
  /** be what a worker's fallback serves again after the current version failed to load */
  'fallback-target',
  /** warm it in the workers without serving it */
  'load',
  /** release it from the workers */
  'unload',
  /** run every validation check again */
  'validate',
  'archive',
  /** be the version an alias is set or moved to */
  'alias-target',
  /** be served by explicit reference (`name@N` pinned in a predict call or a source binding) */
  'serve-pinned',
  /** be a candidate arm of an A/B, canary or shadow experiment */
  'experiment-candidate',
  'tag',
] as const;
export type VersionAction = (typeof VERSION_ACTIONS)[number];

/** What the rules need to know about a version. Serving is `status === 'serving'` (the registry keeps them equal). */
export interface VersionFacts {
  /** the reference the reason names, e.g. `hdfs@3` */
  ref: string;
  status: VersionStatus;
  archived: boolean;
  /** aliases pointing at it now */
  aliases: readonly string[];
}

/** Why the registry refuses an action: the error code it answers and the sentence it says. */
export interface VersionRefusal {
  code: 'CONFLICT' | 'VALIDATION_FAILED';
  message: string;
}

/** Statuses from which a version may serve: it passed validation (and may have served before). */
export const SERVABLE_STATUSES: ReadonlySet<VersionStatus> = new Set<VersionStatus>(['validated', 'loaded', 'serving', 'retired']);

const conflict = (message: string): VersionRefusal => ({ code: 'CONFLICT', message });

/** "failed validation" / "has not been validated yet" for a status that may not serve. */
function unvalidated(status: VersionStatus): string {
  return status === 'invalid' ? 'failed validation' : 'has not been validated yet';
}

/** Refuses what is archived or did not pass validation; `what` ends the sentence ("cannot be deployed"). */
function mustServe(v: VersionFacts, archived: string, what: string): VersionRefusal | null {
  if (v.archived) return conflict(`${v.ref} ${archived}`);
  if (!SERVABLE_STATUSES.has(v.status)) return conflict(`${v.ref} ${unvalidated(v.status)} (status ${v.status}) and ${what}`);
  return null;
}

/**
 * One rule per action, checked in this order. Actions that change nothing (deploying what serves, loading what is
 * loaded, archiving what is archived, unloading what is not loaded) are accepted: the registry answers them as no-ops.
 */
const RULES: { readonly [A in VersionAction]: (v: VersionFacts) => VersionRefusal | null } = {
  deploy: (v) => mustServe(v, 'is archived and cannot serve', 'cannot be deployed'),
  'rollback-target': (v) => mustServe(v, 'is archived and cannot serve', 'cannot be deployed'),
  // a worker falls back to what served before; it passed validation then, so only archiving stops it
  'fallback-target': (v) => (v.archived ? conflict(`${v.ref} is archived and cannot serve`) : null),
  load: (v) => {
    if (v.archived) return conflict(`${v.ref} is archived and cannot be loaded`);
    if (v.status === 'invalid') return conflict(`${v.ref} failed validation and cannot be loaded`);
    if (v.status === 'registered') return conflict(`${v.ref} has not been validated yet`);
    return null;
  },
  unload: (v) => (v.status === 'serving' ? conflict(`${v.ref} is serving: deploy or roll back to another version first`) : null),
  // an archived version may be checked again (e.g. after an onnxruntime upgrade); its status does not change
  validate: () => null,
  archive: (v) => {
    if (v.status === 'serving') return conflict(`${v.ref} is serving and cannot be archived`);
    if (v.aliases.length) return conflict(`${v.ref} is what alias(es) ${v.aliases.join(', ')} point at: move them first`);
    return null;
  },
  'alias-target': (v) => {
    if (v.archived) return conflict(`${v.ref} is archived: an alias cannot point at it`);
    if (v.status === 'invalid') return conflict(`${v.ref} failed validation: an alias cannot point at it`);
    return null;
  },
  'serve-pinned': (v) => mustServe(v, 'is archived and is not served', 'is not served'),
  'experiment-candidate': (v) => {
    if (v.status === 'serving') return { code: 'VALIDATION_FAILED', message: `${v.ref} is the control; a candidate must be another version` };
    return mustServe(v, 'is archived and cannot serve', 'cannot be a candidate');
  },
  tag: () => null,
};

/** Why the registry refuses `action` on `version`, with the code it answers; null when it accepts it. */
export function refusalOf(action: VersionAction, version: VersionFacts): VersionRefusal | null {
  return RULES[action](version);
}

/** The reason text the API returns when it refuses `action` on `version`; null when it accepts it. */
export function refusal(action: VersionAction, version: VersionFacts): string | null {
  return refusalOf(action, version)?.message ?? null;
}

/** Every action the registry accepts on `version` now. */
export function allowedActions(version: VersionFacts): ReadonlySet<VersionAction> {
  return new Set(VERSION_ACTIONS.filter((a) => RULES[a](version) === null));
}

/**
 * Why an accepted action would change nothing (the registry answers it as a no-op), or null when it would: the console
 * greys such a button out with this reason instead of offering a click that does nothing.
 */
export function unchanged(action: VersionAction, version: VersionFacts): string | null {
  if (refusalOf(action, version)) return null;
  switch (action) {
    case 'deploy':
    case 'rollback-target':
      return version.status === 'serving' ? `${version.ref} is serving already` : null;
    case 'load':
      if (version.status === 'serving') return `${version.ref} is serving: it is loaded already`;
      return version.status === 'loaded' ? `${version.ref} is loaded already` : null;
    case 'unload':
      return version.status === 'loaded' ? null : `${version.ref} is not loaded (status ${version.status})`;
    case 'archive':
      return version.archived ? `${version.ref} is archived already` : null;
    case 'fallback-target':
    case 'validate':
    case 'alias-target':
    case 'serve-pinned':
    case 'experiment-candidate':
    case 'tag':
      return null;
  }
}

/** What the console shows for an action: enabled, or disabled with the refusal (or the no-op) as the reason. */
export function actionState(action: VersionAction, version: VersionFacts): { enabled: boolean; reason: string | null } {
  const reason = refusal(action, version) ?? unchanged(action, version);
  return { enabled: reason === null, reason };
}

/** The status a version has after validation ended with `outcome`: a serving, warm or retired version keeps its own. */
export function statusAfterValidation(status: VersionStatus, outcome: CheckOutcome): VersionStatus {
  if (status === 'registered' || status === 'validated' || status === 'invalid') return outcome === 'fail' ? 'invalid' : 'validated';
  return status;
}

/** The status after an accepted load (`serving` stays serving) or unload (`loaded` goes back to validated). */
export function statusAfterLoad(status: VersionStatus, action: 'load' | 'unload'): VersionStatus {
  if (action === 'load') return status === 'serving' ? 'serving' : 'loaded';
  return status === 'loaded' ? 'validated' : status;
}

/** Every status, for walking the table (specs, docs). */
export const LIFECYCLE_STATUSES: readonly VersionStatus[] = VERSION_STATUSES;
