import { parseCsv, parseLoghubStructuredCsv } from './loghub-csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and CRLF records', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n"two\nlines",\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\nlines', ''],
    ]);
  });

  it('rejects an unterminated quote', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(RangeError);
  });
});

describe('parseLoghubStructuredCsv', () => {
  it('picks LineId, Content, EventId and EventTemplate whatever the other columns are', () => {
    const csv = [
      'LineId,Date,Time,Level,Component,Content,EventId,EventTemplate',
      '1,17/06/09,20:10:40,INFO,executor,"Registered signal handlers for [TERM, HUP, INT]",E22,"Registered signal handlers for [TERM, HUP, INT]"',
      '2,17/06/09,20:10:41,INFO,spark,Running task 3.0 in stage 2.0 (TID 118),E7,Running task <*> in stage <*> (TID <*>)',
    ].join('\n');
    expect(parseLoghubStructuredCsv(csv)).toEqual([
      {
        lineId: 1,
        content: 'Registered signal handlers for [TERM, HUP, INT]',
        eventId: 'E22',
        eventTemplate: 'Registered signal handlers for [TERM, HUP, INT]',
      },
      {
        lineId: 2,
        content: 'Running task 3.0 in stage 2.0 (TID 118)',
        eventId: 'E7',
        eventTemplate: 'Running task <*> in stage <*> (TID <*>)',
      },
    ]);
  });

  it('names a missing column and a short row', () => {
    expect(() => parseLoghubStructuredCsv('LineId,Content,EventId\n1,x,E1')).toThrow(/EventTemplate/);
    expect(() => parseLoghubStructuredCsv('LineId,Content,EventId,EventTemplate\n1,x,E1')).toThrow(/row 1/);
  });
});
