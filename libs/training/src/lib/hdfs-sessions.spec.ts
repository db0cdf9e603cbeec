import { countEvents } from './event-counts';
import { parseHdfsSessions, parseHdfsTemplates } from './hdfs-sessions';

describe('HDFS session CSVs', () => {
  it('parses sessions with CRLF line endings', () => {
    const csv = 'BlockId,Label,Split,EventSequence\r\nblk_1,0,train,T5 T1 T1\r\nblk_-2,1,test,T5 T8\r\n';
    expect(parseHdfsSessions(csv)).toEqual([
      { blockId: 'blk_1', label: 0, split: 'train', events: ['T5', 'T1', 'T1'] },
      { blockId: 'blk_-2', label: 1, split: 'test', events: ['T5', 'T8'] },
    ]);
  });

  it('keeps commas inside template text', () => {
    const csv = 'EventId,EventTemplate,Occurrences\nT1,Receiving block <*> src: /<*>,23671\nT2,a, b,3\n';
    expect(parseHdfsTemplates(csv)).toEqual([
      { eventId: 'T1', template: 'Receiving block <*> src: /<*>', occurrences: 23671 },
      { eventId: 'T2', template: 'a, b', occurrences: 3 },
    ]);
  });

  it('rejects an unexpected header or label', () => {
    expect(() => parseHdfsSessions('id,label\n')).toThrow(/expected header/);
    expect(() => parseHdfsSessions('BlockId,Label,Split,EventSequence\nblk,2,train,T1\n')).toThrow(
      "label '2'",
    );
  });
});

describe('countEvents', () => {
  it('counts each event id of the vocabulary and ignores unknown ones', () => {
    expect(countEvents(['T5', 'T1', 'T1', 'T99', 'T3'], ['T1', 'T2', 'T3', 'T5'])).toEqual([2, 0, 1, 1]);
  });
});
