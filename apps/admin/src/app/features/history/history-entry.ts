import type { HistoryAction, HistoryEntryDto } from '@loglens/contracts';

/** The kinds of change the page can narrow the history to. */
export type KindFilter = 'all' | 'serving' | 'alias' | 'binding' | 'experiment';

/** Each action as the timeline words it. */
export const ACTION_TEXT: Record<HistoryAction, string> = {
  deploy: 'deploy',
  rollback: 'rollback',
  fallback: 'fallback',
  promote: 'promote',
  'alias-set': 'alias moved',
  'alias-delete': 'alias deleted',
  bind: 'source bound',
  unbind: 'source unbound',
  'exp-start': 'experiment started',
  'exp-step': 'canary step',
  'exp-pause': 'experiment paused',
  'exp-resume': 'experiment resumed',
  'exp-abort': 'experiment aborted',
  'exp-rollback': 'canary rolled back',
  'exp-complete': 'experiment ended',
  'drift-reference': 'drift reference frozen',
};

/** What changed, as a subject line: `iris serves` or `iris@production`. */
export function subjectOf(e: HistoryEntryDto): string {
  if (e.kind === 'binding') return `source ${e.source ?? '?'} scored by ${e.model}`;
  if (e.kind === 'experiment') return `${e.model} experiment`;
  if (e.kind === 'drift') return `${e.to ?? e.model} drift reference`;
  return e.kind === 'alias' ? `${e.model}@${e.alias ?? '?'}` : `${e.model} serves`;
}

/** The entries of one kind (all of them for `all`), in their order. */
export function entriesOfKind(
  entries: readonly HistoryEntryDto[],
  kind: KindFilter,
): readonly HistoryEntryDto[] {
  return kind === 'all' ? entries : entries.filter((e) => e.kind === kind);
}

/** The model names to offer, with the one filtered on first when the registry does not list it (any more). */
export function modelChoices(names: readonly string[], current: string): string[] {
  return current && !names.includes(current) ? [current, ...names] : [...names];
}

/** What an empty history says, for one model or all of them. */
export function emptyHistoryText(model: string): string {
  return model
    ? `No changes recorded for ${model} with these filters.`
    : 'No deploys, rollbacks, alias moves or source bindings recorded yet with these filters.';
}
