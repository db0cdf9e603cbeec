/**
 * The time a component reads and the timers it sets, injectable so that a spec drives time instead of waiting for it
 * (`ManualClock`). Production code takes `systemClock`.
 */
export interface Clock {
  /** milliseconds, monotonic (performance.now() for the system clock) */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Lets every pending promise callback run (a macrotask runs only after the microtask queue is empty). */
export const settleMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock that moves only when told to. `advance(ms)` fires the timers that fall due, earliest first, each at its own
 * time, and lets the promise callbacks they cause run before the next one: what a component does after N ms is then
 * decided by N, never by how busy the machine is.
 */
export class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** A promise that resolves once the clock has advanced `ms`. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settleMicrotasks();
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
    await settleMicrotasks();
  }

  /**
   * Advances the clock step by step until `work` settles (at most `limitMs`), and returns its outcome: the way to
   * await something that waits on this clock.
   */
  async run<T>(work: Promise<T>, stepMs = 1, limitMs = 60_000): Promise<T> {
    let settled = false;
    const watched = work.finally(() => (settled = true));
    watched.catch(() => undefined);
    for (let spent = 0; !settled; spent += stepMs) {
      if (spent > limitMs) throw new Error(`still unsettled after ${limitMs} ms of clock time`);
      await this.advance(stepMs);
    }
    return watched;
  }
}
