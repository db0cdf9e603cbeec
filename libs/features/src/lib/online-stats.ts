/** Running count, mean, minimum and least-squares slope of (time, value) samples, in O(1) memory. */
export class RunningSeries {
  private n = 0;
  private sumX = 0;
  private sumY = 0;
  private sumXX = 0;
  private sumXY = 0;
  private minY = Infinity;
  private readonly origin: number | null = null;

  /** `origin` (ms) keeps the time sums small, so the slope does not drown in rounding for epoch-ms times. */
  constructor(origin: number | null = null) {
    this.origin = origin;
  }

  add(value: number, timeMs: number | null): void {
    if (!Number.isFinite(value)) return;
    const x = timeMs === null ? this.n : (timeMs - (this.origin ?? 0)) / 60_000;
    this.n++;
    this.sumX += x;
    this.sumY += value;
    this.sumXX += x * x;
    this.sumXY += x * value;
    if (value < this.minY) this.minY = value;
  }

  get count(): number {
    return this.n;
  }

  /** Mean, or `fallback` without samples. */
  mean(fallback: number): number {
    return this.n === 0 ? fallback : this.sumY / this.n;
  }

  /** Minimum, or `fallback` without samples. */
  min(fallback: number): number {
    return this.n === 0 ? fallback : this.minY;
  }

  /** Least-squares slope per minute (per sample when times were missing); 0 with fewer than two distinct times. */
  slopePerMinute(): number {
    if (this.n < 2) return 0;
    const den = this.n * this.sumXX - this.sumX * this.sumX;
    if (Math.abs(den) < 1e-12) return 0;
    return (this.n * this.sumXY - this.sumX * this.sumY) / den;
  }
}
