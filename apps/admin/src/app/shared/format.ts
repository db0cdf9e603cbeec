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
