import type { ExperimentAction, ExperimentDto } from '@loglens/contracts/protocol';
import type { ConfirmDialogData } from '../../shared/confirm-dialog.component';
import { KIND_LABELS } from './experiments.model';
import { pct } from './report-wording';

/*
 * The experiment page's logic without Angular: which candidate a promote serves, which of two reads is newer, what
 * each action's confirmation says and how the criteria read.
 */

/** The candidate a promote serves: the recommended one, else the only one, else the heaviest. */
export function promoteTarget(e: Pick<ExperimentDto, 'candidates'>, winner: string | null): string {
  if (winner && e.candidates.some((c) => c.version === winner)) return winner;
  return [...e.candidates].sort((a, b) => b.weight - a.weight)[0]?.version ?? '';
}

/** The more recent of two reads of an experiment (by updatedAt; a tie goes to the load), ignoring another id's. */
export function newer(
  loaded: ExperimentDto | null,
  changed: ExperimentDto | null,
  id: string,
): ExperimentDto | null {
  if (!changed || changed.id !== id) return loaded;
  if (!loaded) return changed;
  return Date.parse(changed.updatedAt) > Date.parse(loaded.updatedAt) ? changed : loaded;
}

/** What each action does, for its confirm dialog. */
export function actionConfirm(action: ExperimentAction, e: ExperimentDto, target: string): ConfirmDialogData {
  const name = `${KIND_LABELS[e.kind].toLowerCase()} on ${e.model}`;
  switch (action) {
    case 'pause':
      return {
        title: 'Pause the experiment',
        question: `Pause the ${name}?`,
        notes: [
          'The weights stay as they are; no automatic step, promotion or rollback happens until it is resumed.',
        ],
        confirmLabel: 'Pause',
        askReason: true,
      };
    case 'resume':
      return {
        title: 'Resume the experiment',
        question: `Resume the ${name}?`,
        notes: ['Automatic decisions start again from the next check.'],
        confirmLabel: 'Resume',
        askReason: true,
      };
    case 'promote':
      return {
        title: 'Promote the candidate',
        question: `End the ${name} and serve ${target} to all of its traffic?`,
        changes: [{ label: 'Serving', from: e.control, to: target }],
        notes: ['Recorded in the transfer history as a promote, with the report’s figures.'],
        confirmLabel: 'Promote',
        askReason: true,
      };
    case 'abort':
      return {
        title: 'Abort the experiment',
        question: `Abort the ${name}?`,
        changes: e.candidates.map((c) => ({
          label: `Weight of ${c.version}`,
          from: `${c.weight} %`,
          to: '0 %',
        })),
        notes: [
          `The control ${e.control} answers all the traffic again. An aborted experiment cannot be resumed.`,
        ],
        confirmLabel: 'Abort',
        askReason: true,
        destructive: true,
      };
  }
}

/** The criteria a candidate must hold to, in one line. */
export function criteriaText(e: Pick<ExperimentDto, 'criteria'>): string {
  const c = e.criteria;
  const parts = [`error rate ≤ ${pct(c.maxErrorRate)}`, `p99 ≤ ${c.maxP99Ms} ms`];
  if (c.maxAnomalyRateDelta !== undefined)
    parts.push(`anomaly-rate difference ≤ ${(c.maxAnomalyRateDelta * 100).toFixed(1)} points`);
  if (c.minAgreement !== undefined) parts.push(`agreement ≥ ${pct(c.minAgreement)}`);
  parts.push(`${c.minSamples} samples per check`);
  return parts.join(', ');
}
