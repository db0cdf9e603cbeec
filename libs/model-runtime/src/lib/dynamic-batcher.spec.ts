import { LogLensError } from '@loglens/contracts';
import { ManualClock, settleMicrotasks } from './clock';
import { BatchItemError, DynamicBatcher, type DynamicBatcherOptions } from './dynamic-batcher';

interface Req {
  id: number;
  rows: number[];
}

const req = (id: number, rows = 1): Req => ({ id, rows: Array.from({ length: rows }, (_, i) => id * 100 + i) });
/**
 * A batcher on a manual clock whose run records each batch, takes `runMs` of that clock and answers every request with
 * its rows doubled. Time moves only through `clock` (advance / run): no outcome depends on the machine's speed.
 */
function recording(options: Partial<DynamicBatcherOptions<Req, number[]>> = {}, runMs = 5) {
  const batches: number[][] = [];
  const clock = new ManualClock();
  const batcher = new DynamicBatcher<Req, number[]>({
    maxBatchSize: 16,
    maxQueueDelayMs: 0,
    maxQueueSize: 1000,
    clock,
    run: async (items) => {
      batches.push(items.map((i) => i.id));
      await clock.sleep(runMs);
      return items.map((i) => i.rows.map((v) => v * 2));
    },
    ...options,
  });
  return { batcher, batches, clock };
}

describe('DynamicBatcher', () => {
  it('coalesces 50 concurrent one-row requests into batches of at most 16 rows', async () => {
    const { batcher, batches, clock } = recording();
    const results = await clock.run(Promise.all(Array.from({ length: 50 }, (_, i) => batcher.submit(req(i)))));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => [i * 200]));
    // all 50 queued in one tick: full batches first come, first served, the rest in a fourth
    expect(batches.map((b) => b.length)).toEqual([16, 16, 16, 2]);
    expect(batches.flat()).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(batcher.stats()).toMatchObject({ executions: batches.length, items: 50, rows: 50, queueDepth: 0, inFlight: 0 });
  });

  it('counts rows, not requests, and runs a request larger than the batch on its own', async () => {
    const { batcher, batches, clock } = recording({ maxBatchSize: 10 });
    const sizes = [4, 4, 4, 25, 1, 9];
    const results = await clock.run(Promise.all(sizes.map((n, i) => batcher.submit(req(i, n)))));
    results.forEach((r, i) => expect(r).toHaveLength(sizes[i]));
    // FIFO: [4,4] = 8, then 4 (25 would overflow), 25 alone, [1,9] = 10
    expect(batches).toEqual([[0, 1], [2], [3], [4, 5]]);
  });

  it('hands every caller its own result in submission order, with timings', async () => {
    const { batcher, clock } = recording({}, 20);
    const timed = await clock.run(Promise.all([1, 2, 3].map((id) => batcher.submitTimed(req(id, 2)))));
    expect(timed.map((t) => t.result)).toEqual([
      [200, 202],
      [400, 402],
      [600, 602],
    ]);
    for (const t of timed) expect(t).toMatchObject({ batchRows: 6, batchRequests: 3, computeMs: 20, queueMs: 0 });
  });

  it('waits up to maxQueueDelayMs for a batch to fill, and no longer', async () => {
    const { batcher, batches, clock } = recording({ maxQueueDelayMs: 100 });
    const first = batcher.submitTimed(req(1));
    await clock.advance(10);
    const second = batcher.submitTimed(req(2));
    await clock.advance(89);
    expect(batches).toEqual([]);
    const [a, b] = await clock.run(Promise.all([first, second]));
    expect(batches).toEqual([[1, 2]]);
    // the batch started 100 ms after the first request: not one millisecond later
    expect([a.queueMs, b.queueMs]).toEqual([100, 90]);
  });

  it('starts at once when the queued rows fill a batch before the delay', async () => {
    const { batcher, batches, clock } = recording({ maxQueueDelayMs: 10_000, maxBatchSize: 4 });
    const timed = await clock.run(Promise.all([batcher.submitTimed(req(1, 2)), batcher.submitTimed(req(2, 2))]));
    expect(batches).toEqual([[1, 2]]);
    expect(timed.map((t) => t.queueMs)).toEqual([0, 0]);
  });

  it('runs one batch at a time', async () => {
    let running = 0;
    let most = 0;
    const clock = new ManualClock();
    const batcher = new DynamicBatcher<Req, number>({
      maxBatchSize: 2,
      maxQueueDelayMs: 0,
      maxQueueSize: 100,
      clock,
      run: async (items) => {
        most = Math.max(most, ++running);
        await clock.sleep(3);
        running--;
        return items.map((i) => i.id);
      },
    });
    await clock.run(Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit(req(i)))));
    expect(most).toBe(1);
    // five batches of two, one after the other
    expect(clock.now()).toBe(15);
  });

  it('fails every request of a batch whose run throws, and keeps serving the next batches', async () => {
    let calls = 0;
    const batcher = new DynamicBatcher<Req, number>({
      maxBatchSize: 3,
      maxQueueDelayMs: 0,
      maxQueueSize: 100,
      run: async (items) => {
        if (calls++ === 0) throw new LogLensError('INVALID_MODEL', 'boom');
        return items.map((i) => i.id);
      },
    });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((id) => batcher.submit(req(id))));
    expect(settled.slice(0, 3).map((s) => s.status === 'rejected' && (s.reason as Error).message)).toEqual(['boom', 'boom', 'boom']);
    expect(settled[3]).toEqual({ status: 'fulfilled', value: 4 });
    expect(batcher.stats()).toMatchObject({ executions: 2, failedExecutions: 1 });
  });

  it('fails only the request whose slot holds a BatchItemError', async () => {
    const batcher = new DynamicBatcher<Req, number>({
      maxBatchSize: 8,
      maxQueueDelayMs: 0,
      maxQueueSize: 100,
      run: async (items) => items.map((i) => (i.id === 2 ? new BatchItemError(new LogLensError('VALIDATION_FAILED', 'bad row')) : i.id)),
    });
    const settled = await Promise.allSettled([1, 2, 3].map((id) => batcher.submit(req(id))));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('fails the batch when run returns the wrong number of results', async () => {
    const batcher = new DynamicBatcher<Req, number>({ maxBatchSize: 8, maxQueueDelayMs: 0, maxQueueSize: 10, run: async () => [1] });
    await expect(Promise.all([batcher.submit(req(1)), batcher.submit(req(2))])).rejects.toThrow('a batch run returned 1 results for 2 requests');
  });

  it('refuses a request at once with OVERLOADED when maxQueueSize requests are waiting', async () => {
    const { batcher, clock } = recording({ maxBatchSize: 1, maxQueueSize: 3 }, 100);
    const accepted = [batcher.submit(req(0))];
    await settleMicrotasks(); // request 0 is running, the queue is empty again
    expect(batcher.stats()).toMatchObject({ inFlight: 1, queueDepth: 0 });
    accepted.push(batcher.submit(req(1)), batcher.submit(req(2)), batcher.submit(req(3)));
    const refused = batcher.submit(req(4));
    await expect(refused).rejects.toMatchObject({ code: 'OVERLOADED' });
    await expect(refused).rejects.toThrow('3 requests are already waiting');
    await expect(clock.run(Promise.all(accepted))).resolves.toHaveLength(4);
    expect(batcher.stats().rejectedOverloaded).toBe(1);
  });

  it('drops a request that waited past its timeout and still serves the others', async () => {
    const { batcher, batches, clock } = recording({ maxBatchSize: 1 }, 100);
    const first = batcher.submit(req(1));
    const late = batcher.submit(req(2), { timeoutMs: 10 });
    const third = batcher.submit(req(3));
    await expect(clock.run(late)).rejects.toMatchObject({ code: 'TIMEOUT', message: 'waited 10 ms in the batch queue without starting' });
    expect(clock.now()).toBe(10);
    await expect(clock.run(Promise.all([first, third]))).resolves.toEqual([[200], [600]]);
    expect(batches).toEqual([[1], [3]]);
    expect(batcher.stats().timedOut).toBe(1);
  });

  it('times out a caller whose batch is still running', async () => {
    const { batcher, clock } = recording({}, 50);
    await expect(clock.run(batcher.submit(req(1), { timeoutMs: 10 }))).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: 'no result within 10 ms (the batch was still running)',
    });
    expect(clock.now()).toBe(10);
    await clock.run(batcher.idle());
    expect(clock.now()).toBe(50);
  });

  it('reports queue depth while requests wait', async () => {
    const { batcher, clock } = recording({ maxBatchSize: 1 }, 100);
    const all = [1, 2, 3].map((id) => batcher.submit(req(id, 2)));
    await clock.advance(5);
    expect(batcher.stats()).toMatchObject({ queueDepth: 2, queuedRows: 4, inFlight: 1 });
    await clock.run(Promise.all(all));
    const s = batcher.stats();
    expect(s).toMatchObject({ queueDepth: 0, executions: 3, items: 3, rows: 6, meanBatchRows: 2 });
    expect(s.queueMs).toEqual({ total: 300, max: 200, mean: 100 });
    expect(s.computeMs).toEqual({ total: 300, max: 100, mean: 100 });
  });

  it('fails queued requests with UNAVAILABLE on close and refuses new ones', async () => {
    const { batcher, clock } = recording({ maxBatchSize: 1 }, 100);
    const running = batcher.submit(req(1));
    const queued = batcher.submit(req(2));
    await settleMicrotasks();
    batcher.close('m@1 is being unloaded');
    await expect(queued).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'm@1 is being unloaded' });
    await expect(batcher.submit(req(3))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(clock.run(running)).resolves.toEqual([200]);
    await clock.run(batcher.idle());
  });

  it('refuses nonsensical limits', () => {
    const run = async () => [];
    expect(() => new DynamicBatcher<Req, number>({ maxBatchSize: 0, maxQueueDelayMs: 0, maxQueueSize: 1, run })).toThrow(RangeError);
    expect(() => new DynamicBatcher<Req, number>({ maxBatchSize: 1, maxQueueDelayMs: -1, maxQueueSize: 1, run })).toThrow(RangeError);
    expect(() => new DynamicBatcher<Req, number>({ maxBatchSize: 1, maxQueueDelayMs: 0, maxQueueSize: 0, run })).toThrow(RangeError);
  });

  describe('enqueue (the callback form)', () => {
    it('answers every caller once through its callback, in one batch', async () => {
      const { batcher, batches, clock } = recording();
      const got: Array<[number, unknown]> = [];
      const answered = new Promise<void>((done) => {
        for (let id = 0; id < 3; id++) {
          batcher.enqueue(req(id), {}, (outcome) => {
            got.push([id, outcome instanceof Error ? outcome.message : outcome.result]);
            if (got.length === 3) done();
          });
        }
      });
      await clock.run(answered);
      expect(got).toEqual([
        [0, [0]],
        [1, [200]],
        [2, [400]],
      ]);
      expect(batches).toEqual([[0, 1, 2]]);
    });

    it('refuses synchronously when the queue is full or the batcher is closed', () => {
      const { batcher } = recording({ maxQueueSize: 1 });
      const outcomes: string[] = [];
      const note = (o: unknown) => outcomes.push(o instanceof LogLensError ? o.code : 'result');
      batcher.enqueue(req(1), {}, note);
      batcher.enqueue(req(2), {}, note);
      expect(outcomes).toEqual(['OVERLOADED']);
      batcher.close('going away');
      batcher.enqueue(req(3), {}, note);
      // the queued request fails with the closing reason, the late one at once
      expect(outcomes).toEqual(['OVERLOADED', 'UNAVAILABLE', 'UNAVAILABLE']);
    });

    it('keeps answering the rest of a batch when one caller\'s callback throws', async () => {
      const reported: unknown[] = [];
      const { batcher, clock } = recording({ onCallbackError: (e) => reported.push(e) });
      const second = new Promise<unknown>((resolve) => {
        batcher.enqueue(req(1), {}, () => {
          throw new Error('caller bug');
        });
        batcher.enqueue(req(2), {}, resolve);
      });
      await expect(clock.run(second)).resolves.toMatchObject({ result: [400] });
      expect(reported).toEqual([new Error('caller bug')]);
    });
  });
});
