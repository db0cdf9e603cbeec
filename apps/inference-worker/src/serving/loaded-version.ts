import type { ServingVersionDto } from '@loglens/contracts';
import type { OnnxModelSession } from '@loglens/model-runtime';

/**
 * A session plus a count of the requests using it, so a hot-swap can release the old session only after
 * its in-flight requests have finished.
 */
export class LoadedVersion {
  private inFlight = 0;
  private retiring = false;
  private drained?: () => void;

  constructor(
    readonly info: ServingVersionDto,
    readonly session: OnnxModelSession,
  ) {}

  async use<T>(fn: (session: OnnxModelSession) => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await fn(this.session);
    } finally {
      this.inFlight--;
      if (this.retiring && this.inFlight === 0) this.drained?.();
    }
  }

  /** Waits for in-flight requests, then releases the native session. */
  async retire(): Promise<void> {
    this.retiring = true;
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.session.release();
  }
}
