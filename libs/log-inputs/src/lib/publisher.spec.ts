import { LOG_BATCH_MAX_BYTES, LogSubjects, splitLogBatch } from '@loglens/contracts';
import { batchBySubject, classifyPublishError } from './publisher';
import type { IngestRecord } from './record';

describe('classifyPublishError', () => {
  it('tells a full stream (429) from an unavailable JetStream (503)', () => {
    // the shapes nats.js and JetStream produce: an API error in the ack, a no-responders status, a timeout
    expect(classifyPublishError({ code: 'JETSTREAM', message: 'maximum messages exceeded', api_error: { description: 'maximum messages exceeded' } }).toJSON()).toEqual({
      code: 'STREAM_FULL',
      message: 'the LOGS stream is full (maximum messages exceeded); retry later',
    });
    expect(classifyPublishError({ code: '503', message: '503', api_error: { description: 'insufficient resources' } }).httpStatus).toBe(429);
    expect(classifyPublishError({ code: '503', message: 'no responders' }).toJSON()).toMatchObject({ code: 'STREAM_UNAVAILABLE' });
    expect(classifyPublishError(new Error('TIMEOUT')).httpStatus).toBe(503);
    expect(classifyPublishError(new Error('CONNECTION_CLOSED')).retryable).toBe(true);
  });
});

describe('batchBySubject', () => {
  const rec = (source: string, message: string): IngestRecord => ({ source, agent: 'base', message });
  const text = (data: Uint8Array) => new TextDecoder().decode(data);

  it("cuts each subject's records, in their order, into batches of at most the record cap, named by their first record's id", () => {
    const records = Array.from({ length: 7 }, (_, i) => ({ record: rec(i % 2 ? 'b' : 'a', `line ${i}`), msgID: `req:${i}` }));
    const out = batchBySubject(records, 3);
    expect(out.map((m) => [m.subject, m.records, m.msgID])).toEqual([
      [`${LogSubjects.generic}.a`, 3, 'req:0+3'],
      [`${LogSubjects.generic}.a`, 1, 'req:6'],
      [`${LogSubjects.generic}.b`, 3, 'req:1+3'],
    ]);
    // what an agent reads back: the records of the batch, each as a one-record message would carry it
    const first = splitLogBatch(text(out[0].data), '3');
    expect(Array.isArray(first) && first.map((r) => JSON.parse(r).message)).toEqual(['line 0', 'line 2', 'line 4']);
    expect(JSON.parse(text(out[1].data))).toEqual({ message: 'line 6' });
  });

  it('keeps a batch within LOG_BATCH_MAX_BYTES, never splitting a record, and a multi-line message within its record', () => {
    const big = 'x'.repeat(100 * 1024);
    const out = batchBySubject([rec('a', big), rec('a', big), rec('a', big), rec('a', 'two\nlines')].map((record) => ({ record })), 500);
    expect(out.map((m) => m.records)).toEqual([2, 2]);
    expect(out.every((m) => m.data.length <= LOG_BATCH_MAX_BYTES && m.msgID === undefined)).toBe(true);
    const last = splitLogBatch(text(out[1].data), '2');
    expect(Array.isArray(last) && JSON.parse(last[1]).message).toBe('two\nlines');
  });
});
