import { createHash } from 'node:crypto';

/**
 * A window's id depends only on what the window is (agent, source, key, time range), never on which records a
 * particular delivery put in it: a window rebuilt after a redelivery gets the same id, so it is stored once.
 */
export function windowId(agent: string, source: string, key: string, start: number, end: number): string {
  return createHash('sha256').update(`${agent}\u0000${source}\u0000${key}\u0000${start}\u0000${end}`).digest('hex').slice(0, 32);
}
