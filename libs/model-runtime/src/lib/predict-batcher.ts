import type { PredictRow } from '@loglens/contracts';
import { BatchItemError, DynamicBatcher, type BatchCallback, type BatcherStats, type DynamicBatcherOptions, type SubmitOptions, type TimedResult } from './dynamic-batcher';
import type { OnnxModelSession, PredictResult } from './onnx-session';
import type { PreparedRows } from './rows';

export type PredictBatcherOptions = Omit<DynamicBatcherOptions<PreparedRows, PredictResult>, 'run'>;

/**
 * Dynamic batching for one session's predict requests: each request's rows are validated on arrival (a bad
 * request fails alone, before it joins a batch), then coalesced with other requests into one run and handed
 * back its own rows of every output.
 */
export class PredictBatcher {
  private readonly batcher: DynamicBatcher<PreparedRows, PredictResult>;

  constructor(
    readonly session: OnnxModelSession,
    options: PredictBatcherOptions,
  ) {
    this.batcher = new DynamicBatcher<PreparedRows, PredictResult>({
      ...options,
      run: async (items) => (await session.predictPrepared(items)).map((r) => (r instanceof Error ? new BatchItemError(r) : r)),
    });
  }

  /** Scores one request's rows; throws VALIDATION_FAILED at once for bad rows, OVERLOADED when the queue is full. */
  predict(rows: readonly PredictRow[], options: SubmitOptions = {}): Promise<TimedResult<PredictResult>> {
    return new Promise((resolve, reject) =>
      this.predictWith(rows, options, (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome))),
    );
  }

  /**
   * The callback form of `predict` (no promise per request, for the worker's hot path): `done` runs once, at once
   * for bad rows (VALIDATION_FAILED) or a full queue (OVERLOADED), otherwise when the request's batch has run.
   */
  predictWith(rows: readonly PredictRow[], options: SubmitOptions, done: BatchCallback<PredictResult>): void {
    let prepared: PreparedRows;
    try {
      prepared = this.session.prepare(rows);
    } catch (e) {
      return done(e instanceof Error ? e : new Error(String(e)));
    }
    this.batcher.enqueue(prepared, options, done);
  }

  stats(): BatcherStats {
    return this.batcher.stats();
  }

  /** Stops taking requests (queued ones fail with UNAVAILABLE) and resolves once the running batch is done. */
  async close(reason?: string): Promise<void> {
    this.batcher.close(reason);
    await this.batcher.idle();
  }
}
