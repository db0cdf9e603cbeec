// Readers for the HDFS_100k CSVs in data/hdfs-100k-sessions (see its PROVENANCE.md). They take text, not paths,
// so the library stays free of file-system access; callers read the files.

export interface HdfsSession {
  blockId: string;
  /** 1 = anomalous block, 0 = normal. */
  label: 0 | 1;
  split: 'train' | 'test';
  /** Template ids (T1..T19) in log order. */
  events: string[];
}

export interface HdfsTemplate {
  eventId: string;
  template: string;
  occurrences: number;
}

/** Parses hdfs_100k_sessions.csv (BlockId,Label,Split,EventSequence). */
export function parseHdfsSessions(csv: string): HdfsSession[] {
  return dataLines(csv, 'BlockId,Label,Split,EventSequence').map((line, i) => {
    const [blockId, label, split, sequence, extra] = line.split(',');
    if (extra !== undefined || sequence === undefined)
      throw new RangeError(`sessions row ${i + 1}: expected 4 fields`);
    if (label !== '0' && label !== '1') throw new RangeError(`sessions row ${i + 1}: label '${label}'`);
    if (split !== 'train' && split !== 'test')
      throw new RangeError(`sessions row ${i + 1}: split '${split}'`);
    return { blockId, label: label === '1' ? 1 : 0, split, events: sequence.split(' ').filter(Boolean) };
  });
}

/** Parses hdfs_100k_templates.csv (EventId,EventTemplate,Occurrences). */
export function parseHdfsTemplates(csv: string): HdfsTemplate[] {
  return dataLines(csv, 'EventId,EventTemplate,Occurrences').map((line, i) => {
    // template text may one day contain commas: the id is the first field and the count the last
    const first = line.indexOf(',');
    const last = line.lastIndexOf(',');
    const occurrences = Number(line.slice(last + 1));
    if (first <= 0 || last <= first || !Number.isInteger(occurrences)) {
      throw new RangeError(`templates row ${i + 1}: expected EventId,EventTemplate,Occurrences`);
    }
    return { eventId: line.slice(0, first), template: line.slice(first + 1, last), occurrences };
  });
}

function dataLines(csv: string, header: string): string[] {
  // the shared copies use CRLF line endings
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== header) throw new RangeError(`expected header '${header}', got '${lines[0] ?? ''}'`);
  return lines.slice(1);
}
