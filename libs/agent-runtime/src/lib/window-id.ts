import { createHash } from 'node:crypto';

/**
 * A window's id is what the window is (agent, source, key, time range) plus, on the stream path, the stream
 * sequence of its first record. A window rebuilt from a redelivery starts with the same unacknowledged record, so it
 * gets the same id and is stored once; records of the same time range that arrive after the window was published
 * (a source that paused longer than the idle flush) form a new segment with its own id instead of being dropped.
 */
export function windowId(agent: string, source: string, key: string, start: number, end: number, firstRecord = ''): string {
  return createHash('sha256').update(`${agent}\u0000${source}\u0000${key}\u0000${start}\u0000${end}\u0000${firstRecord}`).digest('hex').slice(0, 32);
}
