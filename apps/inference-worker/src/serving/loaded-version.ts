import type { ServingVersionDto } from '@loglens/contracts';
import type { Explainer } from '@loglens/explain';
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
  private explaining?: Promise<Explainer>;

  constructor(
    readonly info: ServingVersionDto,
    readonly session: OnnxModelSession,
    batching: PredictBatcherOptions,
    /** the artifact's bytes again, for the explainer (read on the first explained request only) */
    private readonly artifact: () => Promise<Uint8Array> = () => Promise.reject(new Error('no artifact source')),
  ) {
    this.batcher = new PredictBatcher(session, batching);
  }

  /** The version's explainer, built once from its graph on first use (a failed build is retried next time). */
  explainer(build: (bytes: Uint8Array) => Explainer): Promise<Explainer> {
    this.explaining ??= this.artifact()
      .then(build)
      .catch((e: unknown) => {
        this.explaining = undefined;
        throw e;
      });
    return this.explaining;
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
