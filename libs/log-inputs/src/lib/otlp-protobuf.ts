import { IngestError } from './errors';

/**
 * A decoder for exactly the OTLP messages /v1/logs receives (opentelemetry-proto `collector/logs/v1`), written on the
 * protobuf wire format so that a malformed body is a 400 naming what is wrong, never a crash, and no schema
 * compiler is needed at run time. It yields the OTLP/JSON shape (hex ids, nanosecond strings), so one converter
 * serves both encodings. Unknown fields are skipped, as protobuf requires.
 */
export function decodeExportLogsRequest(bytes: Uint8Array): OtlpJsonRequest {
  const r = new Reader(bytes, 0, bytes.length);
  const resourceLogs: OtlpJsonResourceLogs[] = [];
  while (r.more()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) resourceLogs.push(readResourceLogs(r.sub()));
    else r.skip(wire);
  }
  return { resourceLogs };
}

export interface OtlpJsonKeyValue {
  key: string;
  value?: OtlpJsonAnyValue;
}
export interface OtlpJsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpJsonAnyValue[] };
  kvlistValue?: { values?: OtlpJsonKeyValue[] };
  bytesValue?: string;
}
export interface OtlpJsonLogRecord {
  timeUnixNano?: string | number;
  observedTimeUnixNano?: string | number;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpJsonAnyValue;
  attributes?: OtlpJsonKeyValue[];
  traceId?: string;
  spanId?: string;
  eventName?: string;
}
export interface OtlpJsonResourceLogs {
  resource?: { attributes?: OtlpJsonKeyValue[] };
  scopeLogs?: { scope?: { name?: string; version?: string }; logRecords?: OtlpJsonLogRecord[] }[];
}
export interface OtlpJsonRequest {
  resourceLogs?: OtlpJsonResourceLogs[];
}

/** ExportLogsServiceResponse: empty on full success, `partial_success` when some records were refused. */
export function encodeExportLogsResponse(rejected: number, errorMessage: string): Uint8Array {
  if (rejected === 0) return new Uint8Array(0);
  const msg = Buffer.from(errorMessage, 'utf8');
  const inner = Buffer.concat([Buffer.from([0x08]), varint(rejected), Buffer.from([0x12]), varint(msg.length), msg]);
  return Buffer.concat([Buffer.from([0x0a]), varint(inner.length), inner]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

// nested AnyValues (arrays, maps) deeper than this are refused: a crafted body must not exhaust the stack
const MAX_DEPTH = 32;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function bad(what: string): never {
  throw new IngestError('INVALID_PROTOBUF', `malformed OTLP protobuf: ${what}`);
}

class Reader {
  constructor(
    private readonly buf: Uint8Array,
    private pos: number,
    private readonly end: number,
  ) {}

  more(): boolean {
    return this.pos < this.end;
  }

  tag(): [number, number] {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field === 0) bad(`field number 0 at byte ${this.pos}`);
    return [field, t & 7];
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) bad('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    return bad('varint longer than 10 bytes');
  }

  /** a varint read as a signed 64-bit integer, as text (int64 fields can exceed 2^53) */
  int64(): string {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) bad('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result).toString();
      shift += 7n;
    }
    return bad('varint longer than 10 bytes');
  }

  fixed64(): string {
    if (this.pos + 8 > this.end) bad('truncated fixed64');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getBigUint64(0, true);
    this.pos += 8;
    return v.toString();
  }

  double(): number {
    if (this.pos + 8 > this.end) bad('truncated double');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (len > this.end - this.pos) bad(`length ${len} runs past the end of its message`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    try {
      return utf8.decode(this.bytes());
    } catch (e) {
      if (e instanceof IngestError) throw e;
      throw new IngestError('INVALID_UTF8', 'malformed OTLP protobuf: a string field is not valid UTF-8');
    }
  }

  sub(): Reader {
    const len = this.varint();
    if (len > this.end - this.pos) bad(`length ${len} runs past the end of its message`);
    const r = new Reader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        if (this.pos + 8 > this.end) bad('truncated fixed64');
        this.pos += 8;
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        if (this.pos + 4 > this.end) bad('truncated fixed32');
        this.pos += 4;
        return;
      default:
        bad(`unsupported wire type ${wire}`);
    }
  }
}

function readResourceLogs(r: Reader): OtlpJsonResourceLogs {
  const scopeLogs: NonNullable<OtlpJsonResourceLogs['scopeLogs']> = [];
  const out: OtlpJsonResourceLogs = { scopeLogs };
  while (r.more()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) {
      const res = r.sub();
      const attributes: OtlpJsonKeyValue[] = [];
      while (res.more()) {
        const [f, w] = res.tag();
        if (f === 1 && w === 2) attributes.push(readKeyValue(res.sub(), 0));
        else res.skip(w);
      }
      out.resource = { attributes };
    } else if (field === 2 && wire === 2) scopeLogs.push(readScopeLogs(r.sub()));
    else r.skip(wire);
  }
  return out;
}

function readScopeLogs(r: Reader): NonNullable<OtlpJsonResourceLogs['scopeLogs']>[number] {
  const logRecords: OtlpJsonLogRecord[] = [];
  let scope: { name?: string; version?: string } | undefined;
  while (r.more()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) {
      const s = r.sub();
      scope = {};
      while (s.more()) {
        const [f, w] = s.tag();
        if (f === 1 && w === 2) scope.name = s.string();
        else if (f === 2 && w === 2) scope.version = s.string();
        else s.skip(w);
      }
    } else if (field === 2 && wire === 2) logRecords.push(readLogRecord(r.sub()));
    else r.skip(wire);
  }
  return { ...(scope ? { scope } : {}), logRecords };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

function readLogRecord(r: Reader): OtlpJsonLogRecord {
  const out: OtlpJsonLogRecord = {};
  const attributes: OtlpJsonKeyValue[] = [];
  while (r.more()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 1) out.timeUnixNano = r.fixed64();
    else if (field === 11 && wire === 1) out.observedTimeUnixNano = r.fixed64();
    else if (field === 2 && wire === 0) out.severityNumber = r.varint();
    else if (field === 3 && wire === 2) out.severityText = r.string();
    else if (field === 5 && wire === 2) out.body = readAnyValue(r.sub(), 0);
    else if (field === 6 && wire === 2) attributes.push(readKeyValue(r.sub(), 0));
    else if (field === 9 && wire === 2) out.traceId = hex(r.bytes());
    else if (field === 10 && wire === 2) out.spanId = hex(r.bytes());
    else if (field === 12 && wire === 2) out.eventName = r.string();
    else r.skip(wire);
  }
  if (attributes.length) out.attributes = attributes;
  return out;
}

function readKeyValue(r: Reader, depth: number): OtlpJsonKeyValue {
  const out: OtlpJsonKeyValue = { key: '' };
  while (r.more()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) out.key = r.string();
    else if (field === 2 && wire === 2) out.value = readAnyValue(r.sub(), depth + 1);
    else r.skip(wire);
  }
  return out;
}

function readAnyValue(r: Reader, depth: number): OtlpJsonAnyValue {
  if (depth > MAX_DEPTH) bad(`values nested deeper than ${MAX_DEPTH}`);
  const out: OtlpJsonAnyValue = {};
  while (r.more()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) out.stringValue = r.string();
    else if (field === 2 && wire === 0) out.boolValue = r.varint() !== 0;
    else if (field === 3 && wire === 0) out.intValue = r.int64();
    else if (field === 4 && wire === 1) out.doubleValue = r.double();
    else if ((field === 5 || field === 6) && wire === 2) {
      const s = r.sub();
      const values: unknown[] = [];
      while (s.more()) {
        const [f, w] = s.tag();
        if (f === 1 && w === 2) values.push(field === 5 ? readAnyValue(s.sub(), depth + 1) : readKeyValue(s.sub(), depth + 1));
        else s.skip(w);
      }
      if (field === 5) out.arrayValue = { values: values as OtlpJsonAnyValue[] };
      else out.kvlistValue = { values: values as OtlpJsonKeyValue[] };
    } else if (field === 7 && wire === 2) out.bytesValue = Buffer.from(r.bytes()).toString('base64');
    else r.skip(wire);
  }
  return out;
}
