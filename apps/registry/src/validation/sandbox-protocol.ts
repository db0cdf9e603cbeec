import type { ValidationCheckDto } from '@loglens/contracts';
import type { StaticFacts } from './static-checks';

/** What the registry sends the sandbox child (structured clone: bytes travel as Uint8Array). */
export interface SandboxRequest {
  bytes: Uint8Array;
  metadata: Record<string, unknown>;
  scaler: Uint8Array | null;
  ref: string;
}

/** The child's messages, in order: the static checks, then (when they pass) the test inference. */
export type SandboxMessage =
  | { type: 'static'; checks: ValidationCheckDto[]; facts: StaticFacts | null }
  | { type: 'test'; check: ValidationCheckDto };

/** The training baseline's medians in feature order, when the metadata carries them. */
export function baselineRow(metadata: Record<string, unknown>, featureNames: readonly string[] | undefined): number[] | null {
  const baseline = metadata['baseline'] as { quantiles?: number[]; perFeature?: Record<string, number[]> } | undefined;
  const mid = baseline?.quantiles?.indexOf(0.5) ?? -1;
  if (!featureNames || !baseline?.perFeature || mid < 0) return null;
  const row = featureNames.map((n) => baseline.perFeature?.[n]?.[mid]);
  return row.every((v): v is number => typeof v === 'number' && Number.isFinite(v)) ? row : null;
}
