/**
 * Record batches on the LOGS stream. A message on `logs.<agent>.<source>` is one record (a raw line, or a JSON object
 * `{message, timestamp?, host?, …}`), unless it carries the header {@link LOG_BATCH_HEADER}: then its body holds that
 * many records of the same source, separated by `\n`, each exactly as a one-record message would carry it.
 *
 * A batch costs the stream, the consumer and the acknowledgement one message instead of one per line, which is most of
 * what a line costs an agent (README, "Shipping logs"; docs/benchmarks.md). A record of a batch cannot contain `\n` itself: a
 * multi-line message travels as a JSON object (whose string escapes it). LogLens' own inputs write batches of at most
 * {@link LOG_BATCH_MAX_RECORDS} records and {@link LOG_BATCH_MAX_BYTES} bytes.
 */
export const LOG_BATCH_HEADER = 'LogLens-Records';

/** Records per batch message that LogLens' inputs write at most. */
export const LOG_BATCH_MAX_RECORDS = 500;

/** Body bytes per batch message that LogLens' inputs write at most (NATS' default max_payload is 1 MiB). */
export const LOG_BATCH_MAX_BYTES = 256 * 1024;

/**
 * The records of a batch body, or an error naming the problem when the body does not hold the number of records its
 * header declares (a truncated or hand-made batch): such a message is set aside, not half analysed.
 */
export function splitLogBatch(body: string, declared: string | undefined): string[] | { error: string } {
  const count = Number(declared);
  if (!declared || !Number.isInteger(count) || count < 1) return { error: `${LOG_BATCH_HEADER} must be a positive integer, got "${declared ?? ''}"` };
  const records = body.split('\n');
  if (records.length !== count) return { error: `${LOG_BATCH_HEADER} declares ${count} records, the body holds ${records.length}` };
  return records;
}
