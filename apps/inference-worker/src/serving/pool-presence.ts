/**
 * Whether a shadow pool mirrors the predict traffic, as a serving worker (SHADOW_SCORING=auto) learns it from its
 * probes. One answer is enough to leave the copies to the pool; only `misses` unanswered probes in a row take them
 * back. A busy pool answers late (its probe waits behind the copies it is still reading), and taking the copies back
 * then would put the shadow's cost on the serving path exactly when the machine is loaded, and count the copies the
 * pool still scores a second time. A pool that is gone for good is noticed `misses` probe intervals later.
 */
export class PoolPresence {
  private missed = Number.POSITIVE_INFINITY;

  constructor(private readonly misses: number) {}

  /** the outcome of one probe */
  record(answered: boolean): void {
    this.missed = answered ? 0 : this.missed + 1;
  }

  get mirrors(): boolean {
    return this.missed < this.misses;
  }
}
