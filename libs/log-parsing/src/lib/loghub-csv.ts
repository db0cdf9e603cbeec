// Reader for Loghub's `*_2k.log_structured.csv` files (data/loghub-2k, see its PROVENANCE.md). It takes text, not
// a path, so the library stays free of file-system access; callers read the files.

export interface LoghubRow {
  lineId: number;
  /** The message after the dataset's header fields were removed: what the benchmark feeds a parser. */
  content: string;
  /** Ground-truth event id (E1, E2 …). */
  eventId: string;
  /** Ground-truth template, `<*>` for parameters. */
  eventTemplate: string;
}

/**
 * Parses a Loghub structured CSV (any header columns, but it must have LineId, EventId and EventTemplate; Content
 * may be absent, as in the label-only files of data/loghub-2k-corrected, and is then ''). Quoting follows RFC 4180:
 * fields in double quotes may hold commas, `""` and line breaks.
 */
export function parseLoghubStructuredCsv(csv: string): LoghubRow[] {
  const records = parseCsv(csv);
  const header = records[0];
  if (!header) throw new RangeError('empty CSV');
  const column = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new RangeError(`missing column '${name}' in header '${header.join(',')}'`);
    return i;
  };
  const [lineIdAt, eventIdAt, templateAt] = ['LineId', 'EventId', 'EventTemplate'].map(column);
  const contentAt = header.indexOf('Content');
  return records.slice(1).map((r, i) => {
    if (r.length !== header.length) {
      throw new RangeError(`row ${i + 1}: ${r.length} fields, header has ${header.length}`);
    }
    const lineId = Number(r[lineIdAt]);
    if (!Number.isInteger(lineId)) throw new RangeError(`row ${i + 1}: LineId '${r[lineIdAt]}'`);
    return { lineId, content: contentAt < 0 ? '' : r[contentAt], eventId: r[eventIdAt], eventTemplate: r[templateAt] };
  });
}

/** RFC 4180 records; a trailing line break does not make an empty record. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && field.length === 0) quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      field = '';
      record = [];
    } else field += c;
  }
  if (quoted) throw new RangeError('unterminated quoted field');
  if (field.length > 0 || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
