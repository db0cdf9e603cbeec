// Drift report windows and retention: values the console reads too (no validators here).

/** The report windows `GET /model-management/{version}/drift?window=` accepts, and their length. */
export const DRIFT_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 } as const;
export type DriftWindow = keyof typeof DRIFT_WINDOWS;

/** How long the registry keeps live profile buckets (the 7d window plus a day of slack). */
export const DRIFT_RETENTION_MS = 8 * 86_400_000;

export const DRIFT_WINDOW_NAMES = Object.keys(DRIFT_WINDOWS) as DriftWindow[];
export const isDriftWindow = (w: string): w is DriftWindow => Object.prototype.hasOwnProperty.call(DRIFT_WINDOWS, w);
