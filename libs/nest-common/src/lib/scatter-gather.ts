import { RequestStrategy, type NatsConnection } from 'nats';

/**
 * Asks every subscriber of `subject` (plain subscriptions, no queue group) and collects the JSON replies that
 * arrive within `windowMs`. Malformed replies are skipped; nobody answering gives an empty list.
 */
export async function scatterGather<T>(nc: NatsConnection, subject: string, windowMs: number): Promise<T[]> {
  const replies: T[] = [];
  if (nc.isClosed()) return replies;
  try {
    const iter = await nc.requestMany(subject, new Uint8Array(), { strategy: RequestStrategy.Timer, maxWait: windowMs });
    for await (const msg of iter) {
      try {
        replies.push(JSON.parse(new TextDecoder().decode(msg.data)) as T);
      } catch {
        // a malformed reply counts as no reply
      }
    }
  } catch {
    // no responders at all
  }
  return replies;
}
