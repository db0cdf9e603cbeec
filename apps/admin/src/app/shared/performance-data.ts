import type { PerformanceReply, VersionPerformanceDto } from '@loglens/contracts';
import { type Observable, catchError, map, of, throwError } from 'rxjs';
import type { PerformanceData } from '../core/data/performance.data';
import { ApiError } from '../core/api-error';
import type { ChartSeries } from './line-chart.component';

export const PERFORMANCE_REFRESH_MS = 10_000;

/** The performance reply, or why there is none: a gateway without the route answers 404 (or 501). */
export type PerformanceView =
  | { available: true; reply: PerformanceReply }
  | { available: false; reason: string };

export function loadPerformance(api: PerformanceData): Observable<PerformanceView> {
  return api.performance().pipe(
    map((reply): PerformanceView => ({ available: true, reply })),
    catchError((err: unknown) =>
      err instanceof ApiError && (err.status === 404 || err.status === 501)
        ? of<PerformanceView>({
            available: false,
            reason:
              'The gateway does not report serving performance yet (GET /model-management/performance answered ' +
              `${err.status}). Numbers appear here as soon as it does.`,
          })
        : throwError(() => err),
    ),
  );
}

export const SERIES_COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#0a7d8c'];

/** One version's 10-second buckets as chart lines: requests and errors, or p95 latency. */
export function seriesOf(p: VersionPerformanceDto, what: 'requests' | 'latency'): ChartSeries[] {
  const t = (at: string) => new Date(at).getTime();
  if (what === 'latency') {
    return [
      {
        name: 'p95 latency',
        color: SERIES_COLORS[4],
        points: p.series.map((s) => ({ t: t(s.at), v: s.p95Ms })),
      },
    ];
  }
  return [
    {
      name: 'requests',
      color: SERIES_COLORS[0],
      points: p.series.map((s) => ({ t: t(s.at), v: s.requests })),
    },
    { name: 'errors', color: SERIES_COLORS[1], points: p.series.map((s) => ({ t: t(s.at), v: s.errors })) },
  ];
}
