import { LruMap } from '@loglens/log-parsing';
/** A window's accumulated state when it closes. */
export interface ClosedWindow<A> {
  key: string;
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive: the planned end, or the last event's time + 1 when the window closed early on size. */
  end: number;
  events: number;
  /**
   * Why it closed: the watermark passed its end, it reached maxEvents, an idle timeout, a flush, or `capacity`: more
   * keys had a window open than maxOpenWindows allows, and it was the least recently fed.
   */
  reason: 'time' | 'size' | 'idle' | 'flush' | 'capacity';
  state: A;
}

/** How a windower groups events and what it accumulates for each window. */
export interface WindowAccumulation<E, A> {
  /** The group an event belongs to (an AP, a station, a host, a session id). */
  keyOf(event: E): string;
  /** Epoch ms; null for events without a time, which count at the latest time seen. */
  timeOf(event: E): number | null;
  create(key: string, start: number): A;
  add(state: A, event: E): void;
}

export interface TumblingWindowOptions {
  sizeMs: number;
  /** Windows stay open this long after their end for late events. Default 0. */
  allowedLatenessMs?: number;
  /** A window holding this many events closes early (and a new one opens); bounds memory under floods. */
  maxEvents?: number;
  /**
   * An event this much older than its key's window (default one day) is a clock that jumped back — a source whose
   * syslog year was guessed before its first dated record, a device whose clock was reset: the key starts over at
   * the new time instead of piling the rest of its stream into the window it left.
   */
  clockJumpMs?: number;
  /**
   * At most this many windows open at once (default 100,000): a flood of new keys closes the least recently fed
   * window early (reason `capacity`) instead of growing without end.
   */
  maxOpenWindows?: number;
  /**
   * How many keys' "closed until" times are remembered (default 100,000; least recently used forgotten first): the
   * bound on memory over ever-new keys (one per HDFS block id). A forgotten key is held to the latest "closed until"
   * time of all forgotten keys instead: its late event counts in a window at or after that time (never in one it
   * already had closed and published), unless it is a clock jump (more than clockJumpMs behind).
   */
  maxKeys?: number;
}

/** What `add` answers when the event closed no window: one shared array, frozen (a caller may read it, never grow it). */
const NONE_CLOSED = Object.freeze([]) as unknown as never[];

/** What a windower dropped to stay within its bounds. */
export interface WindowerEvictions {
  /** windows closed early because maxOpenWindows keys had one open */
  openWindows: number;
  /** keys whose "closed until" time was forgotten (maxKeys) */
  keys: number;
}

interface Open<A> {
  key: string;
  start: number;
  end: number;
  events: number;
  state: A;
}

/**
 * Tumbling (fixed, aligned, non-overlapping) time windows per key, fed one event at a time: what a streaming agent
 * needs (`add` returns the windows an event's time closed, `advanceTo` closes windows on a wall clock when a source
 * goes quiet, `flush` closes everything), and what a batch job needs (add all, then flush).
 * Event time drives the clock (the watermark is the largest time seen); an event later than its key's last closed
 * window counts in that key's next window rather than reopening a closed one.
 */
export class TumblingWindower<E, A> {
  private readonly open = new Map<string, Open<A>>();
  /**
   * Open windows by end time. Windows are aligned, so there are few distinct ends (one per window length the clock
   * has crossed): moving the clock touches only the buckets it passes, never every open window.
   */
  private readonly byEnd = new Map<number, Set<string>>();
  /** the ends in byEnd, ascending (a handful: a sorted array beats a heap here) */
  private ends: number[] = [];
  private readonly closedUntil: LruMap<string, number>;
  /** the latest "closed until" time of the keys closedUntil forgot: what a key not remembered is held to */
  private forgottenUntil = -Infinity;
  private readonly maxOpen: number;
  private capacityClosed = 0;
  private watermark = -Infinity;
  private readonly sizeMs: number;
  private readonly lateness: number;
  private readonly maxEvents: number;
  private readonly clockJumpMs: number;

  constructor(
    private readonly acc: WindowAccumulation<E, A>,
    opts: TumblingWindowOptions,
  ) {
    if (!(opts.sizeMs > 0)) throw new RangeError('sizeMs must be > 0');
    this.sizeMs = opts.sizeMs;
    this.lateness = opts.allowedLatenessMs ?? 0;
    this.maxEvents = opts.maxEvents ?? Infinity;
    this.clockJumpMs = opts.clockJumpMs ?? 86_400_000;
    this.maxOpen = opts.maxOpenWindows ?? 100_000;
    this.closedUntil = new LruMap(opts.maxKeys ?? 100_000, (_key, until) => {
      // never past the clock: a window closed early (capacity) ends in the future, and holding every forgotten key
      // to that end would move the clock and close every open window
      const held = Math.min(until, this.watermark);
      if (held > this.forgottenUntil) this.forgottenUntil = held;
    });
  }

  /**
   * Adds one event; returns the windows (of any key) that its time closed, oldest first. Most events close none: the
   * answer is then one shared, frozen empty array, so an event allocates nothing here but a new window's state.
   */
  add(event: E): ClosedWindow<A>[] {
    const key = this.acc.keyOf(event);
    const given = this.acc.timeOf(event);
    let closed: ClosedWindow<A>[] = given !== null ? this.clockJumpedBack(key, given) : NONE_CLOSED;
    let time = given ?? (Number.isFinite(this.watermark) ? this.watermark : 0);
    time = Math.max(time, this.closedUntil.get(key) ?? this.forgottenFloor(key, time));
    if (time > this.watermark) closed = this.advanceInto(time, closed);
    let w = this.open.get(key);
    if (w && time >= w.end) {
      if (closed === NONE_CLOSED) closed = [];
      closed.push(this.close(w, 'time'));
      w = undefined;
    }
    if (!w) {
      if (this.open.size >= this.maxOpen) {
        // Map order is insertion order and a window is re-inserted when fed: the first is the least recently fed
        const oldest = this.open.values().next().value as Open<A>;
        if (closed === NONE_CLOSED) closed = [];
        closed.push(this.close(oldest, 'capacity'));
        this.capacityClosed++;
      }
      const start = Math.floor(time / this.sizeMs) * this.sizeMs;
      w = { key, start, end: start + this.sizeMs, events: 0, state: this.acc.create(key, start) };
      this.open.set(key, w);
      this.index(w);
    }
    else if (this.open.size >= this.maxOpen) {
      // keep the recency order that capacity eviction reads (only needed near the cap)
      this.open.delete(key);
      this.open.set(key, w);
    }
    this.acc.add(w.state, event);
    w.events++;
    if (w.events >= this.maxEvents) {
      if (closed === NONE_CLOSED) closed = [];
      closed.push({ ...this.close(w, 'size'), end: time + 1 });
      // the rest of the interval continues in a fresh window
      this.closedUntil.set(key, time);
    }
    return closed;
  }

  /** Moves the clock to `now` (epoch ms) and returns every window whose end + lateness it passed. */
  advanceTo(now: number): ClosedWindow<A>[] {
    const out = this.advanceInto(now, NONE_CLOSED);
    return out === NONE_CLOSED ? [] : out;
  }

  /** advanceTo, appending to `out` (a new array when it is the shared empty one and something closes). */
  private advanceInto(now: number, out: ClosedWindow<A>[]): ClosedWindow<A>[] {
    if (now > this.watermark) this.watermark = now;
    // buckets in ascending end (= ascending start: windows are aligned), keys sorted within one
    while (this.ends.length > 0 && this.ends[0] + this.lateness <= this.watermark) {
      if (out === NONE_CLOSED) out = [];
      const keys = [...(this.byEnd.get(this.ends[0]) ?? [])].sort((a, b) => a.localeCompare(b));
      for (const key of keys) out.push(this.close(this.open.get(key) as Open<A>, 'time'));
    }
    return out;
  }

  /** Closes and returns every open window. */
  flush(): ClosedWindow<A>[] {
    return [...this.open.values()]
      .sort((a, b) => a.start - b.start || a.key.localeCompare(b.key))
      .map((w) => this.close(w, 'flush'));
  }

  /** Windows currently open. */
  get size(): number {
    return this.open.size;
  }

  /** Keys whose "closed until" time is remembered (at most maxKeys). */
  get trackedKeys(): number {
    return this.closedUntil.size;
  }

  get evictions(): WindowerEvictions {
    return { openWindows: this.capacityClosed, keys: this.closedUntil.evictions };
  }

  /**
   * The earliest time a key without a window or a remembered "closed until" may count at: forgotten keys may have
   * closed windows up to forgottenUntil. A time more than clockJumpMs before it is a clock that jumped back (as for a
   * remembered key) and keeps its own time; so does every key while nothing was forgotten.
   */
  private forgottenFloor(key: string, time: number): number {
    if (this.forgottenUntil === -Infinity || this.open.has(key)) return -Infinity;
    return time < this.forgottenUntil - this.clockJumpMs ? -Infinity : this.forgottenUntil;
  }

  /** A time far behind its key's window: close that window, forget the key's past and let the clock run from here. */
  private clockJumpedBack(key: string, time: number): ClosedWindow<A>[] {
    const open = this.open.get(key);
    // peek: add() reads the key right after this (marking it recently used), or this forgets it
    const reference = Math.max(open?.start ?? -Infinity, this.closedUntil.peek(key) ?? -Infinity);
    if (!(time < reference - this.clockJumpMs)) return NONE_CLOSED;
    const closed = open ? [this.close(open, 'time')] : [];
    this.closedUntil.delete(key);
    if (time < this.watermark - this.clockJumpMs) this.watermark = time;
    return closed;
  }

  private index(w: Open<A>): void {
    let bucket = this.byEnd.get(w.end);
    if (!bucket) {
      bucket = new Set();
      this.byEnd.set(w.end, bucket);
      // insert into the ascending list (binary search; new ends are nearly always the largest)
      let lo = 0;
      let hi = this.ends.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.ends[mid] < w.end) lo = mid + 1;
        else hi = mid;
      }
      this.ends.splice(lo, 0, w.end);
    }
    bucket.add(w.key);
  }

  private unindex(w: Open<A>): void {
    const bucket = this.byEnd.get(w.end);
    if (!bucket) return;
    bucket.delete(w.key);
    if (bucket.size === 0) {
      this.byEnd.delete(w.end);
      const i = this.ends.indexOf(w.end);
      if (i >= 0) this.ends.splice(i, 1);
    }
  }

  private close(w: Open<A>, reason: ClosedWindow<A>['reason']): ClosedWindow<A> {
    this.open.delete(w.key);
    this.unindex(w);
    this.closedUntil.set(w.key, Math.max(this.closedUntil.peek(w.key) ?? -Infinity, w.end));
    return { key: w.key, start: w.start, end: w.end, events: w.events, reason, state: w.state };
  }
}
