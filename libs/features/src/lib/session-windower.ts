import { ClosedWindow, WindowAccumulation } from './tumbling-windower';

export interface SessionWindowOptions {
  /** A session with no event for this long (by event time) closes. */
  idleTimeoutMs: number;
  /** A session closes once it spans this long, however busy. Default: unbounded. */
  maxDurationMs?: number;
  /** A session closes once it holds this many events. Default: unbounded. */
  maxEvents?: number;
  /** At most this many sessions open at once (default 100,000): the least recently active closes (reason `capacity`). */
  maxOpen?: number;
}

interface OpenSession<A> {
  key: string;
  start: number;
  last: number;
  events: number;
  state: A;
}

/**
 * Session windows keyed by an id found in the events (an HDFS block id, a request id): a session lasts while events
 * keep arriving and closes after an idle gap, a maximum span or size, or a flush. Incremental like
 * {@link TumblingWindower}; idle sessions are found in O(1) per event by keeping them in last-activity order.
 */
export class SessionWindower<E, A> {
  // Map iteration order is insertion order: re-inserting on activity keeps the least recently active first
  private readonly open = new Map<string, OpenSession<A>>();
  private watermark = -Infinity;
  private capacityClosed = 0;

  constructor(
    private readonly acc: WindowAccumulation<E, A>,
    private readonly opts: SessionWindowOptions,
  ) {
    if (!(opts.idleTimeoutMs > 0)) throw new RangeError('idleTimeoutMs must be > 0');
  }

  /** Adds one event; returns the sessions that closed (idle ones by its time, and its own if full). */
  add(event: E): ClosedWindow<A>[] {
    const key = this.acc.keyOf(event);
    const time = this.acc.timeOf(event) ?? (Number.isFinite(this.watermark) ? this.watermark : 0);
    const closed = this.advanceTo(time);
    let s = this.open.get(key);
    if (s && this.opts.maxDurationMs !== undefined && time - s.start >= this.opts.maxDurationMs) {
      closed.push(this.close(s, 'size'));
      s = undefined;
    }
    if (!s) {
      if (this.open.size >= (this.opts.maxOpen ?? 100_000)) {
        closed.push(this.close(this.open.values().next().value as OpenSession<A>, 'capacity'));
        this.capacityClosed++;
      }
      s = { key, start: time, last: time, events: 0, state: this.acc.create(key, time) };
    }
    this.acc.add(s.state, event);
    s.events++;
    s.last = Math.max(s.last, time);
    this.open.delete(key);
    this.open.set(key, s);
    if (this.opts.maxEvents !== undefined && s.events >= this.opts.maxEvents) closed.push(this.close(s, 'size'));
    return closed;
  }

  /** Moves the clock to `now` and returns the sessions idle for at least the timeout. */
  advanceTo(now: number): ClosedWindow<A>[] {
    if (now > this.watermark) this.watermark = now;
    const out: ClosedWindow<A>[] = [];
    for (const s of this.open.values()) {
      if (s.last + this.opts.idleTimeoutMs > this.watermark) break;
      out.push(this.close(s, 'idle'));
    }
    return out;
  }

  /** Closes and returns every open session, oldest activity first. */
  flush(): ClosedWindow<A>[] {
    return [...this.open.values()].map((s) => this.close(s, 'flush'));
  }

  get size(): number {
    return this.open.size;
  }

  /** Sessions closed early because maxOpen were open. */
  get evictions(): number {
    return this.capacityClosed;
  }

  private close(s: OpenSession<A>, reason: ClosedWindow<A>['reason']): ClosedWindow<A> {
    this.open.delete(s.key);
    return { key: s.key, start: s.start, end: s.last + 1, events: s.events, reason, state: s.state };
  }
}
