import type { ServingVersionDto } from '@loglens/contracts';
import { PredictBatcher, type OnnxModelSession, type PredictBatcherOptions } from '@loglens/model-runtime';

/**
 * A session with its dynamic batcher, plus a count of the requests using it, so a hot-swap can release the old
 * session only after its in-flight requests have finished.
 */
export class LoadedVersion {
  readonly batcher: PredictBatcher;
  private inFlight = 0;
  private retiring = false;
  private drained?: () => void;

  constructor(
    readonly info: ServingVersionDto,
    readonly session: OnnxModelSession,
    batching: PredictBatcherOptions,
  ) {
    this.batcher = new PredictBatcher(session, batching);
  }

  async use<T>(fn: (v: LoadedVersion) => Promise<T>): Promise<T> {
    this.acquire();
    try {
      return await fn(this);
    } finally {
      this.release();
    }
  }

  /** Released (a swap, an eviction): it finishes what it has, but a new request should look the reference up again. */
  get isRetiring(): boolean {
    return this.retiring;
  }

  /** Marks a request in flight (the callback form of `use`): pair every call with one `release()`. */
  acquire(): void {
    this.inFlight++;
  }

  release(): void {
    this.inFlight--;
    if (this.retiring && this.inFlight === 0) this.drained?.();
  }

  /** Waits for in-flight requests, then stops the batcher and releases the native session. */
  async retire(): Promise<void> {
    this.retiring = true;
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.batcher.close(`${this.info.ref} was unloaded`);
    await this.session.release();
  }
}
