import type { DriftReportReply } from '@loglens/contracts/protocol';
import { severityOf } from '../../shared/drift-slices';
import type { ChartSeries } from '../../shared/line-chart.component';
import { SERIES_COLORS } from '../../shared/performance-data';

/** One slice of the last hour as the Performance page plots it. */
export interface DriftSlice {
  from: number;
  to: number;
  reply: DriftReportReply | null;
}

/** The worst feature's distance past its threshold in a report (1 = at it), the score's drift included; null without one. */
export function worstSeverity(reply: DriftReportReply | null): number | null {
  const report = reply?.state === 'ok' ? reply.report : null;
  if (!report) return null;
  const all = [...report.features, ...(report.score ? [report.score] : [])].map((f) => severityOf(f)).filter((v): v is number => v !== null);
  return all.length ? Math.max(...all) : null;
}

/** The live anomaly rate per slice against the reference's, as chart lines (slices without windows break the line). */
export function anomalyRateSeries(slices: readonly DriftSlice[], hour: DriftReportReply | null): ChartSeries[] {
  const mid = (s: DriftSlice) => Math.round((s.from + s.to) / 2);
  const live = slices.map((s) => ({ t: mid(s), v: s.reply?.state === 'ok' ? (s.reply.report?.anomalyRate.current ?? null) : null }));
  const reference = hour?.state === 'ok' ? (hour.report?.anomalyRate.reference ?? null) : null;
  const series: ChartSeries[] = [{ name: 'live anomaly rate', color: SERIES_COLORS[1], points: live }];
  if (reference !== null) series.push({ name: 'reference', color: SERIES_COLORS[3], points: slices.map((s) => ({ t: mid(s), v: reference })) });
  return series;
}

/** The worst feature's drift per slice, in multiples of its threshold, with the threshold itself as a line. */
export function driftSeries(slices: readonly DriftSlice[]): ChartSeries[] {
  const mid = (s: DriftSlice) => Math.round((s.from + s.to) / 2);
  return [
    { name: 'worst feature (× threshold)', color: SERIES_COLORS[0], points: slices.map((s) => ({ t: mid(s), v: worstSeverity(s.reply) })) },
    { name: 'threshold', color: SERIES_COLORS[2], points: slices.map((s) => ({ t: mid(s), v: 1 })) },
  ];
}
