import type { ListResultsRequest, WindowResultDto } from '@loglens/contracts';

/** Source names the results can be filtered on. */
export const SOURCE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `datetime-local` value (local time, no zone) → ISO 8601 for the gateway; '' stays unset. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** ISO 8601 → `datetime-local` value in local time; '' for nothing or a bad date. */
export function isoToLocal(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Does a live anomaly belong in the table as filtered now? */
export function matchesFilters(w: WindowResultDto, q: ListResultsRequest): boolean {
  if (q.source && w.source !== q.source) return false;
  if (q.agent && w.agent !== q.agent) return false;
  if (q.from && Date.parse(w.end) < Date.parse(q.from)) return false;
  if (q.to && Date.parse(w.start) > Date.parse(q.to)) return false;
  return true;
}

/** What an empty table says: nothing matches the filters, or nothing is stored yet. */
export function emptyResultsText(q: ListResultsRequest): string {
  return q.source || q.agent || q.from || q.to || q.anomalous
    ? 'No stored windows match these filters.'
    : 'No stored results yet: the agents store a result for every window of logs published to logs.wifi.<site> ' +
        'or logs.generic.<source>.';
}

/** The filters as query parameters of the page's address (null drops a parameter); the limit is not kept. */
export function resultsQueryParams(q: ListResultsRequest): Record<string, string | null> {
  return {
    source: q.source ?? null,
    agent: q.agent ?? null,
    anomalous: q.anomalous ? 'true' : null,
    from: q.from ?? null,
    to: q.to ?? null,
  };
}

/** The sources seen in the stored results, sorted, to offer in the source field. */
export function sourcesOf(results: readonly Pick<WindowResultDto, 'source'>[]): string[] {
  return [...new Set(results.map((r) => r.source))].sort((a, b) => a.localeCompare(b));
}
