/**
 * Shadow copies off the reply path: the worker answers the caller first, then queues the request's rows here; the
 * queue sends them to the shadow version in large batches (every `flushMs` or at `batchRows`, whichever comes
 * first), one batch in flight at a time. It is bounded: a copy that would take it over `maxRows` is dropped and
 * counted (`dropped`), never waited for, so a shadow version slower than the traffic costs the callers nothing but
 * the batches' CPU. One large run per flush is also far cheaper per row than one small run per request.
 */

/** One request's rows waiting for the shadow version, with what the control answered for them. */
export interface ShadowItem<R, C> {
  /** the shadow version (a ref) */
  version: string;
  rows: readonly R[];
  /** the control's flags for the same rows (agreement), or null */
  controlFlags: readonly boolean[] | null;
  /** whatever the caller needs back with the outcome (the experiment's route) */
  context: C;
}

/** What one shadow batch gave back for one item. */
export interface ShadowOutcome {
  ok: boolean;
  /** the batch's latency (queue wait in the worker and compute), the same for every item of it */
  latencyMs: number;
  scores?: number[];
  flags?: boolean[] | null;
  /** the control's flags for the same rows, when the scorer computed them (a shadow pool, which saw only the request) */
  controlFlags?: boolean[] | null;
}

export interface ShadowQueueOptions {
  /** a batch goes at the latest this long after its first copy was queued */
  flushMs: number;
  /** … or as soon as this many rows wait */
  batchRows: number;
  /** rows queued at most (waiting and in flight); a copy that does not fit is dropped */
  maxRows: number;
}

export const SHADOW_QUEUE_DEFAULTS: ShadowQueueOptions = { flushMs: 50, batchRows: 8192, maxRows: 32_768 };

/** Scores `rows` with `version` and calls back once with scores and flags (or an error). */
export type ShadowScorer<R> = (
  version: string,
  rows: R[],
  done: (error: Error | null, reply?: { scores: number[]; isAnomaly: boolean[] | null; controlFlags?: boolean[] | null }) => void,
) => void;

export interface ShadowQueueCounters {
  /** copies taken, copies dropped because the queue was full, batches sent, rows waiting or in flight now */
  queued: number;
  dropped: number;
  batches: number;
  pendingRows: number;
}

export class ShadowQueue<R, C> {
  private waiting: Array<ShadowItem<R, C>> = [];
  private waitingRows = 0;
  private inFlightRows = 0;
  private inFlight = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  readonly counters: ShadowQueueCounters = { queued: 0, dropped: 0, batches: 0, pendingRows: 0 };

  constructor(
    private readonly score: ShadowScorer<R>,
    private readonly onOutcome: (item: ShadowItem<R, C>, outcome: ShadowOutcome) => void,
    private readonly onDropped: (item: ShadowItem<R, C>) => void = () => undefined,
    readonly options: ShadowQueueOptions = SHADOW_QUEUE_DEFAULTS,
  ) {}

  /** Queues a copy; returns false (and counts it dropped) when the queue is full or closed. Never blocks. */
  offer(item: ShadowItem<R, C>): boolean {
    const n = item.rows.length;
    if (this.closed || this.waitingRows + this.inFlightRows + n > this.options.maxRows) {
      this.counters.dropped++;
      this.onDropped(item);
      return false;
    }
    this.waiting.push(item);
    this.waitingRows += n;
    this.counters.queued++;
    this.counters.pendingRows = this.waitingRows + this.inFlightRows;
    if (this.waitingRows >= this.options.batchRows) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.options.flushMs);
      this.timer.unref?.();
    }
    return true;
  }

  /** Sends what waits now (up to batchRows per version), unless a batch is still in flight: it goes when that ends. */
  flush(): void {
    if (this.inFlight || this.waiting.length === 0) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    // one version per batch (a shadow experiment has one shadow version per model; several models share the queue)
    const version = this.waiting[0].version;
    const batch: Array<ShadowItem<R, C>> = [];
    const rest: Array<ShadowItem<R, C>> = [];
    let rows = 0;
    for (const item of this.waiting) {
      if (item.version === version && (batch.length === 0 || rows + item.rows.length <= this.options.batchRows)) {
        batch.push(item);
        rows += item.rows.length;
      } else rest.push(item);
    }
    this.waiting = rest;
    this.waitingRows -= rows;
    this.inFlightRows += rows;
    this.inFlight = true;
    this.counters.batches++;
    const all: R[] = [];
    for (const item of batch) for (const r of item.rows) all.push(r);
    const started = performance.now();
    let answered = false;
    this.score(version, all, (error, reply) => {
      if (answered) return;
      answered = true;
      const latencyMs = performance.now() - started;
      let offset = 0;
      for (const item of batch) {
        const n = item.rows.length;
        const outcome: ShadowOutcome =
          error || !reply
            ? { ok: false, latencyMs }
            : {
                ok: true,
                latencyMs,
                scores: reply.scores.slice(offset, offset + n),
                flags: reply.isAnomaly ? reply.isAnomaly.slice(offset, offset + n) : null,
                ...(reply.controlFlags ? { controlFlags: reply.controlFlags.slice(offset, offset + n) } : {}),
              };
        offset += n;
        try {
          this.onOutcome(item, outcome);
        } catch {
          // counting must not stop the queue
        }
      }
      this.inFlightRows -= rows;
      this.inFlight = false;
      this.counters.pendingRows = this.waitingRows + this.inFlightRows;
      if (this.waiting.length > 0) {
        if (this.waitingRows >= this.options.batchRows || this.closed) this.flush();
        else if (!this.timer) {
          this.timer = setTimeout(() => {
            this.timer = null;
            this.flush();
          }, this.options.flushMs);
          this.timer.unref?.();
        }
      }
    });
  }

  /** Takes no more copies; what waits is still sent. */
  close(): void {
    this.closed = true;
    this.flush();
  }
}
