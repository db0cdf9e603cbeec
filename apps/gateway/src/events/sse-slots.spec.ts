import { LogLensError } from '@loglens/contracts';
import { SseSlots } from './sse-slots';

describe('SseSlots', () => {
  it('caps streams per key and in total with OVERLOADED, and frees a slot once on close', () => {
    const slots = new SseSlots(2, 3);
    const a1 = slots.acquire('a');
    slots.acquire('a');
    expect(() => slots.acquire('a')).toThrow(expect.objectContaining({ code: 'OVERLOADED', message: expect.stringMatching(/SSE_MAX_PER_KEY=2/) }) as LogLensError);
    slots.acquire('b');
    expect(() => slots.acquire('c')).toThrow(/SSE_MAX_TOTAL=3/);
    a1();
    a1();
    expect(slots.stats()).toEqual({ open: 2, keys: 2 });
    expect(() => slots.acquire('c')).not.toThrow();
    expect(() => slots.acquire('a')).toThrow(/SSE_MAX_TOTAL/);
  });
});
