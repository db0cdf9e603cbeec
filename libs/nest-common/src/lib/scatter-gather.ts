import { RequestStrategy, type NatsConnection } from 'nats';
import type { ReplyOf, RpcSubject } from '@loglens/contracts/protocol';

/**
 * Asks every subscriber of `subject` (plain subscriptions, no queue group) and collects the JSON replies that
 * arrive within `windowMs`, typed as the subject's reply. Malformed replies are skipped; nobody answering gives an
 * empty list.
 */
export async function scatterGather<S extends RpcSubject>(nc: NatsConnection, subject: S, windowMs: number): Promise<Array<ReplyOf<S>>> {
  const replies: Array<ReplyOf<S>> = [];
  if (nc.isClosed()) return replies;
  try {
    const iter = await nc.requestMany(subject, new Uint8Array(), { strategy: RequestStrategy.Timer, maxWait: windowMs });
    for await (const msg of iter) {
      try {
        replies.push(JSON.parse(new TextDecoder().decode(msg.data)) as ReplyOf<S>);
      } catch {
        // a malformed reply counts as no reply
      }
    }
  } catch {
    // no responders at all
  }
  return replies;
}
