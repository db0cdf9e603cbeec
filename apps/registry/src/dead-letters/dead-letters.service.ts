import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection, NatsError, StoredMsg } from 'nats';
import { DEAD_LETTERS_MAX_LIMIT, JetStreamNames, type DeadLetterDto, type ListDeadLettersReply, type ListDeadLettersRequest } from '@loglens/contracts';
import { NATS_CONNECTION } from '@loglens/nest-common';
import { toDeadLetterDto } from './dead-letter.mapper';

/** Messages read per request at most when a `consumer` filter skips most of them; `next` then resumes the scan. */
export const DEAD_LETTER_SCAN_MAX = 5000;
/** Direct gets in flight at once. */
const PARALLEL = 32;

/**
 * Reads the DEADLETTER stream newest first, by sequence (a message get each: the stream is small and bounded by
 * its limits), for the API and the console. Read-only: what is listed stays in the stream.
 */
@Injectable()
export class DeadLettersService {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async list(req: ListDeadLettersRequest): Promise<ListDeadLettersReply> {
    const limit = Math.min(req.limit ?? 100, DEAD_LETTERS_MAX_LIMIT);
    const jsm = await this.nc.jetstreamManager();
    const info = await jsm.streams.info(JetStreamNames.deadLetter).catch((e: NatsError) => {
      if (isNotFound(e)) return null;
      throw e;
    });
    if (!info || info.state.messages === 0) return { items: [] };
    const first = info.state.first_seq;
    let seq = Math.min(info.state.last_seq, (req.before ?? Number.MAX_SAFE_INTEGER) - 1);
    const items: DeadLetterDto[] = [];
    // the lowest sequence looked at: the next page starts below it
    let lowest = seq + 1;
    let scanned = 0;
    while (seq >= first && items.length < limit && scanned < DEAD_LETTER_SCAN_MAX) {
      const want = req.consumer ? PARALLEL : Math.min(PARALLEL, limit - items.length);
      const seqs: number[] = [];
      for (let s = seq; s >= first && seqs.length < want && scanned + seqs.length < DEAD_LETTER_SCAN_MAX; s--) seqs.push(s);
      const msgs = await Promise.all(seqs.map((s) => this.get(jsm, s)));
      for (let i = 0; i < seqs.length && items.length < limit; i++) {
        lowest = seqs[i];
        scanned++;
        const m = msgs[i];
        if (!m) continue;
        const dto = toDeadLetterDto(m);
        if (req.consumer && dto.consumer !== req.consumer) continue;
        items.push(dto);
      }
      seq = lowest - 1;
    }
    return lowest > first ? { items, next: lowest } : { items };
  }

  /** One message, or null when it is gone (removed by the stream's age or size limit since the info was read). */
  private async get(jsm: Awaited<ReturnType<NatsConnection['jetstreamManager']>>, seq: number): Promise<StoredMsg | null> {
    try {
      return await jsm.streams.getMessage(JetStreamNames.deadLetter, { seq });
    } catch (e) {
      if (isNotFound(e as NatsError)) return null;
      throw e;
    }
  }
}

function isNotFound(e: NatsError): boolean {
  return e?.api_error?.code === 404 || /not found|no message found/i.test(e?.message ?? '');
}
