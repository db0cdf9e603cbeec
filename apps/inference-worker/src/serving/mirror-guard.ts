/**
 * The shadow pool's guard against falling behind the predict traffic it mirrors.
 *
 * NATS hands the pool a copy of every predict request. A pool that reads them more slowly than they come (starved of
 * CPU, throttled by its cgroup, too small for the traffic) makes nats-server queue them for it, and once about half of
 * the server's `max_pending` is queued for one subscriber the server **stalls the publishers** — the callers — on every
 * read: 100 ms to 1 s per stall in nats-server 2.9 (2–5 ms from 2.10). The serving path would then wait for the shadow,
 * which a shadow must never make it do. So the pool measures how far behind it is and stops mirroring before that:
 *
 * - the lag is the round trip of a PING (nats.js `flush`: the server answers it behind everything already queued for
 *   this connection, so it takes as long as the backlog takes to read), or how late the check itself ran (a starved
 *   process runs its timers late), whichever is larger;
 * - above `maxLagMs` the pool unsubscribes from the mirror; it subscribes again once `pauseMs` have passed and the lag is
 *   below half the limit. Copies of the requests in between go unscored (a shadow is a sample: the experiment's report
 *   counts the copies scored against the control's requests), and the serving workers keep leaving copies to the pool
 *   (it still answers their probes), so none of the shadow's cost moves onto the serving path.
 */
export interface MirrorGuardOptions {
  /** lag above which the pool stops mirroring, ms */
  maxLagMs: number;
  /** how long it stays unsubscribed at least, ms */
  pauseMs: number;
}

export type MirrorChange = 'pause' | 'resume' | null;

export class MirrorGuard {
  private paused = false;
  private pausedUntil = 0;
  private pauses = 0;
  private lastLagMs = 0;
  private worstLagMs = 0;

  constructor(private readonly options: MirrorGuardOptions) {}

  /** One measurement of the lag at `now` (ms on any monotonic clock): the change the pool makes to its mirror, if any. */
  observe(lagMs: number, now: number): MirrorChange {
    this.lastLagMs = lagMs;
    this.worstLagMs = Math.max(this.worstLagMs, lagMs);
    if (!this.paused) {
      if (lagMs <= this.options.maxLagMs) return null;
      this.paused = true;
      this.pausedUntil = now + this.options.pauseMs;
      this.pauses++;
      return 'pause';
    }
    if (now < this.pausedUntil || lagMs > this.options.maxLagMs / 2) return null;
    this.paused = false;
    return 'resume';
  }

  get mirroring(): boolean {
    return !this.paused;
  }

  /** for the health details */
  get state(): { paused: boolean; pauses: number; lagMs: number; worstLagMs: number; maxLagMs: number } {
    const round = (x: number) => Math.round(x * 10) / 10;
    return { paused: this.paused, pauses: this.pauses, lagMs: round(this.lastLagMs), worstLagMs: round(this.worstLagMs), maxLagMs: this.options.maxLagMs };
  }
}
