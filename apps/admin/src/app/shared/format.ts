/** Bytes as B / KiB / MiB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A score or metric: up to 4 significant decimals, no exponent for ordinary values. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toString();
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return value.toExponential(3);
  return value.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

/** A tensor shape such as `[N, 16]`; null dims (unknown) print as `?`. */
export function formatShape(shape: Array<number | string | null> | null): string {
  if (!shape) return 'unknown';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** Milliseconds with a precision that suits the size: 0.042 ms, 3.1 ms, 120 ms, 2.4 s. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms === 0) return '0 ms';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** A 0..1 ratio as a percentage: 0 %, 0.12 %, 4.5 %, 100 %. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const pct = ratio * 100;
  if (pct === 0) return '0 %';
  if (pct < 1) return `${pct.toFixed(2)} %`;
  if (pct < 10) return `${pct.toFixed(1)} %`;
  return `${Math.round(pct)} %`;
}

/** "just now", "3 min ago", "2 h ago", "4 d ago" relative to `now`. */
export function formatAgo(iso: string, now: number = Date.now()): string {
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(s)) return '';
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** `datetime-local` value (local time, no zone) → ISO 8601 for the gateway; '' stays unset. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
