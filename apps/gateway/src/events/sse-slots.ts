import { LogLensError } from '@loglens/contracts';

/**
 * Open SSE streams, counted per key and in total: a stream past either cap is refused (429) instead of holding a
 * socket, a subscription and its buffers for as long as the client likes. A slot is freed when its stream closes.
 */
export class SseSlots {
  private readonly perKey = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxPerKey: number,
    private readonly maxTotal: number,
  ) {}

  /** Takes a slot for `keyId`; the function that frees it (once, however often it is called). */
  acquire(keyId: string): () => void {
    const mine = this.perKey.get(keyId) ?? 0;
    if (mine >= this.maxPerKey) {
      throw new LogLensError('OVERLOADED', `this API key has ${mine} event streams open already (SSE_MAX_PER_KEY=${this.maxPerKey}); close one first`);
    }
    if (this.total >= this.maxTotal) {
      throw new LogLensError('OVERLOADED', `this gateway has ${this.total} event streams open already (SSE_MAX_TOTAL=${this.maxTotal}); retry later or use another gateway`);
    }
    this.perKey.set(keyId, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perKey.get(keyId) ?? 1) - 1;
      if (left > 0) this.perKey.set(keyId, left);
      else this.perKey.delete(keyId);
    };
  }

  stats(): { open: number; keys: number } {
    return { open: this.total, keys: this.perKey.size };
  }
}
