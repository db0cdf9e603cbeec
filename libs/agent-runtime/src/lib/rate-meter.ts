/**
 * Events per second over the last seconds, from one counter per second (a ring of {@link RateMeter.span} seconds):
 * what an agent reports as its lines/s. Adding is O(1) per call and allocates nothing; the rate over the last `s`
 * seconds counts the whole seconds before the current one, so it does not jump with a second's partial count.
 */
export class RateMeter {
  private readonly counts: Float64Array;
  /** the second (ms / 1000, floored) whose count sits at `counts[second % span]` as the newest one */
  private newest: number;
  private readonly startedAt: number;

  constructor(
    readonly span = 60,
    now = Date.now(),
  ) {
    this.counts = new Float64Array(span);
    this.newest = Math.floor(now / 1000);
    this.startedAt = now;
  }

  add(n: number, now = Date.now()): void {
    this.advance(Math.floor(now / 1000));
    this.counts[this.newest % this.span] += n;
  }

  /** events per second over the `seconds` whole seconds before the current one (fewer since the start) */
  perSecond(seconds: number, now = Date.now()): number {
    const second = Math.floor(now / 1000);
    this.advance(second);
    const sinceStart = second - Math.floor(this.startedAt / 1000);
    const window = Math.min(seconds, this.span - 1, sinceStart);
    if (window <= 0) return 0;
    let sum = 0;
    for (let s = second - window; s < second; s++) sum += this.counts[s % this.span];
    return sum / window;
  }

  /** what the agents report in their health details: whole events per second over the last 10 and 60 seconds */
  lastSeconds(now = Date.now()): { last10s: number; last60s: number } {
    return { last10s: Math.round(this.perSecond(10, now)), last60s: Math.round(this.perSecond(60, now)) };
  }

  private advance(second: number): void {
    if (second <= this.newest) return;
    // the seconds between the newest one and now had no events
    for (let s = this.newest + 1; s <= Math.min(second, this.newest + this.span); s++) this.counts[s % this.span] = 0;
    this.newest = second;
  }
}
