import { LogLensError } from '@loglens/contracts';
import { systemClock, type Clock } from './clock';

/** What the batcher queues: a request of several rows; rows, not requests, count against `maxBatchSize`. */
export interface BatchRequest {
  readonly rows: { readonly length: number };
}

/** Returned by `run` in a request's slot to fail that request alone (the others in the batch still succeed). */
export class BatchItemError {
  constructor(readonly error: Error) {}
}

export interface DynamicBatcherOptions<TItem extends BatchRequest, TResult> {
  /** most rows per run; a single request with more rows runs alone */
  maxBatchSize: number;
  /**
   * How long the first queued request may wait for others to join it. 0 is natural batching: a batch starts as
   * soon as the previous one finishes (requests submitted in the same tick still share one run).
   */
  maxQueueDelayMs: number;
  /** requests allowed to wait; one more is refused at once with OVERLOADED */
  maxQueueSize: number;
  /** one result (or BatchItemError) per item, in order; a throw fails every request of the batch */
  run: (items: TItem[]) => Promise<ReadonlyArray<TResult | BatchItemError>>;
  /** told when a caller's `enqueue` callback throws (the rest of its batch is still answered); default: console.error */
  onCallbackError?: (error: unknown) => void;
  /** the time and timers for queue delays, timeouts and the timings reported (default: the system clock) */
  clock?: Clock;
}

export interface SubmitOptions {
  /** fail with TIMEOUT if the result is not there by then (queue wait plus run); a queued request is dropped */
  timeoutMs?: number;
}

export interface TimedResult<TResult> {
  result: TResult;
  /** from submit until its batch started */
  queueMs: number;
  /** the run of the batch it was part of */
  computeMs: number;
  batchRows: number;
  batchRequests: number;
}

export interface BatcherStats {
  /** requests waiting */
  queueDepth: number;
  queuedRows: number;
  /** requests in the batch running now */
  inFlight: number;
  executions: number;
  failedExecutions: number;
  /** requests and rows that went through a run */
  items: number;
  rows: number;
  rejectedOverloaded: number;
  timedOut: number;
  queueMs: { total: number; max: number; mean: number };
  computeMs: { total: number; max: number; mean: number };
  /** mean rows per run */
  meanBatchRows: number;
}

/** Called once per submitted request, with its result or the error that ended it. */
export type BatchCallback<TResult> = (outcome: TimedResult<TResult> | Error) => void;

interface Pending<TItem, TResult> {
  item: TItem;
  rows: number;
  enqueuedAt: number;
  state: 'queued' | 'running' | 'settled';
  done: BatchCallback<TResult>;
  timer?: unknown;
}

/**
 * Coalesces concurrent requests into runs of up to `maxBatchSize` rows, one run in flight at a time (one
 * onnxruntime session runs one batch at a time here), and hands each caller its own result. Small models spend
 * most of a run in per-call overhead (31 µs at 1 row vs 35 µs at 256), so joining requests raises throughput.
 */
export class DynamicBatcher<TItem extends BatchRequest, TResult> {
  private readonly queue: Array<Pending<TItem, TResult>> = [];
  private queuedRows = 0;
  private running: Array<Pending<TItem, TResult>> | null = null;
  private startPending = false;
  private delayTimer?: unknown;
  private readonly clock: Clock;
  private closedReason: string | null = null;
  private idleWaiters: Array<() => void> = [];
  private readonly counters = {
    executions: 0,
    failedExecutions: 0,
    items: 0,
    rows: 0,
    rejectedOverloaded: 0,
    timedOut: 0,
    queueMsTotal: 0,
    queueMsMax: 0,
    computeMsTotal: 0,
    computeMsMax: 0,
  };

  constructor(private readonly options: DynamicBatcherOptions<TItem, TResult>) {
    const { maxBatchSize, maxQueueDelayMs, maxQueueSize } = options;
    this.clock = options.clock ?? systemClock;
    if (!Number.isSafeInteger(maxBatchSize) || maxBatchSize < 1) throw new RangeError('maxBatchSize must be a positive integer');
    if (!Number.isFinite(maxQueueDelayMs) || maxQueueDelayMs < 0) throw new RangeError('maxQueueDelayMs must be ≥ 0');
    if (!Number.isSafeInteger(maxQueueSize) || maxQueueSize < 1) throw new RangeError('maxQueueSize must be a positive integer');
  }

  async submit(item: TItem, options: SubmitOptions = {}): Promise<TResult> {
    return (await this.submitTimed(item, options)).result;
  }

  /** Like `submit`, with how long the request queued and how long its batch ran (the worker's queueMs/computeMs). */
  submitTimed(item: TItem, options: SubmitOptions = {}): Promise<TimedResult<TResult>> {
    return new Promise<TimedResult<TResult>>((resolve, reject) =>
      this.enqueue(item, options, (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome))),
    );
  }

  /**
   * The callback form of `submitTimed`, for hot paths that answer from the callback without a promise per request.
   * `done` runs exactly once: at once (synchronously) when the batcher is closed or its queue is full, otherwise
   * when the request's batch has run or its timeout has passed.
   */
  enqueue(item: TItem, options: SubmitOptions, done: BatchCallback<TResult>): void {
    if (this.closedReason !== null) return done(new LogLensError('UNAVAILABLE', this.closedReason));
    if (this.queue.length >= this.options.maxQueueSize) {
      this.counters.rejectedOverloaded++;
      return done(new LogLensError('OVERLOADED', `${this.queue.length} requests are already waiting for this model; retry later`));
    }
    const rows = item.rows.length;
    const pending: Pending<TItem, TResult> = { item, rows, enqueuedAt: this.clock.now(), state: 'queued', done };
    const { timeoutMs } = options;
    if (timeoutMs !== undefined) pending.timer = this.clock.setTimeout(() => this.expire(pending, timeoutMs), timeoutMs);
    this.queue.push(pending);
    this.queuedRows += rows;
    this.schedule();
  }

  stats(): BatcherStats {
    const c = this.counters;
    return {
      queueDepth: this.queue.length,
      queuedRows: this.queuedRows,
      inFlight: this.running?.length ?? 0,
      executions: c.executions,
      failedExecutions: c.failedExecutions,
      items: c.items,
      rows: c.rows,
      rejectedOverloaded: c.rejectedOverloaded,
      timedOut: c.timedOut,
      queueMs: { total: c.queueMsTotal, max: c.queueMsMax, mean: c.items ? c.queueMsTotal / c.items : 0 },
      computeMs: { total: c.computeMsTotal, max: c.computeMsMax, mean: c.executions ? c.computeMsTotal / c.executions : 0 },
      meanBatchRows: c.executions ? c.rows / c.executions : 0,
    };
  }

  /** Refuses new requests and fails the queued ones with UNAVAILABLE; the running batch finishes. */
  close(reason = 'the model is being unloaded'): void {
    this.closedReason = reason;
    if (this.delayTimer) this.clock.clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    for (const p of this.queue.splice(0)) this.settle(p, new LogLensError('UNAVAILABLE', reason));
    this.queuedRows = 0;
    this.notifyIdle();
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.running || this.startPending || this.queue.length === 0) return;
    const now = this.clock.now();
    const due = this.queue[0].enqueuedAt + this.options.maxQueueDelayMs;
    if (this.queuedRows >= this.options.maxBatchSize || now >= due) {
      // a microtask, not a timer: requests submitted in the same tick still join this batch
      this.startPending = true;
      queueMicrotask(() => {
        this.startPending = false;
        this.start();
      });
      return;
    }
    if (this.delayTimer) this.clock.clearTimeout(this.delayTimer);
    this.delayTimer = this.clock.setTimeout(() => {
      this.delayTimer = undefined;
      this.schedule();
    }, due - now);
  }

  private start(): void {
    if (this.running || this.queue.length === 0) return;
    if (this.delayTimer) this.clock.clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    const batch: Array<Pending<TItem, TResult>> = [];
    let rows = 0;
    // first come, first served: stop at the first request that would overflow the batch
    while (this.queue.length > 0 && (batch.length === 0 || rows + this.queue[0].rows <= this.options.maxBatchSize)) {
      const next = this.queue.shift() as Pending<TItem, TResult>;
      batch.push(next);
      rows += next.rows;
    }
    this.queuedRows -= rows;
    this.running = batch;
    void this.execute(batch, rows);
  }

  private async execute(batch: Array<Pending<TItem, TResult>>, rows: number): Promise<void> {
    const started = this.clock.now();
    const c = this.counters;
    for (const p of batch) {
      p.state = 'running';
      const queued = started - p.enqueuedAt;
      c.queueMsTotal += queued;
      c.queueMsMax = Math.max(c.queueMsMax, queued);
    }
    let outcome: ReadonlyArray<TResult | BatchItemError> | Error;
    try {
      outcome = await this.options.run(batch.map((p) => p.item));
      if (!Array.isArray(outcome) || outcome.length !== batch.length) {
        outcome = new LogLensError('INTERNAL', `a batch run returned ${Array.isArray(outcome) ? outcome.length : 'no'} results for ${batch.length} requests`);
      }
    } catch (e) {
      outcome = e instanceof Error ? e : new Error(String(e));
    }
    const computeMs = this.clock.now() - started;
    c.executions++;
    c.items += batch.length;
    c.rows += rows;
    c.computeMsTotal += computeMs;
    c.computeMsMax = Math.max(c.computeMsMax, computeMs);
    if (outcome instanceof Error) c.failedExecutions++;
    batch.forEach((p, i) => {
      if (outcome instanceof Error) return this.settle(p, outcome);
      const r = outcome[i];
      if (r instanceof BatchItemError) return this.settle(p, r.error);
      this.settle(p, { result: r, queueMs: started - p.enqueuedAt, computeMs, batchRows: rows, batchRequests: batch.length });
    });
    this.running = null;
    this.notifyIdle();
    this.schedule();
  }

  private expire(p: Pending<TItem, TResult>, timeoutMs: number): void {
    if (p.state === 'settled') return;
    this.counters.timedOut++;
    if (p.state === 'queued') {
      this.queue.splice(this.queue.indexOf(p), 1);
      this.queuedRows -= p.rows;
      this.settle(p, new LogLensError('TIMEOUT', `waited ${timeoutMs} ms in the batch queue without starting`));
      this.notifyIdle();
      this.schedule();
    } else {
      // the run carries on for the rest of its batch; this caller stops waiting for it
      this.settle(p, new LogLensError('TIMEOUT', `no result within ${timeoutMs} ms (the batch was still running)`));
    }
  }

  private settle(p: Pending<TItem, TResult>, outcome: TimedResult<TResult> | Error): void {
    if (p.state === 'settled') return;
    p.state = 'settled';
    if (p.timer) this.clock.clearTimeout(p.timer);
    try {
      p.done(outcome);
    } catch (e) {
      // a caller's bug must neither stop the batch from answering the others nor take the process down
      try {
        (this.options.onCallbackError ?? ((err: unknown) => console.error('DynamicBatcher: a request callback threw', err)))(e);
      } catch {
        // nothing left to tell
      }
    }
  }

  private notifyIdle(): void {
    if (this.queue.length > 0 || this.running) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
