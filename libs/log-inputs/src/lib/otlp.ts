import { IngestError } from './errors';
import { decodeExportLogsRequest, type OtlpJsonAnyValue, type OtlpJsonKeyValue, type OtlpJsonRequest } from './otlp-protobuf';
import { MAX_RECORDS_PER_REQUEST, capMessage, type IngestRecord } from './record';
import { chooseAgent, sourceToken, type AgentKindInput, type InputRouting } from './routing';

export interface OtlpInputOptions {
  routing: InputRouting;
  maxLineBytes: number;
  /** `?agent=` / `x-loglens-agent`: overrides the routing rules for the whole request */
  agent?: AgentKindInput;
}

export interface OtlpConversion {
  records: IngestRecord[];
  /** records without a body: refused and reported as OTLP partial success */
  rejected: number;
  truncated: number;
}

/** An OTLP/HTTP logs body (`application/x-protobuf` or `application/json`) as records. */
export function otlpLogsToRecords(body: Uint8Array, contentType: string, options: OtlpInputOptions): OtlpConversion {
  const type = contentType.split(';')[0].trim().toLowerCase();
  let request: OtlpJsonRequest;
  if (type === 'application/x-protobuf' || type === 'application/protobuf') request = decodeExportLogsRequest(body);
  else if (type === 'application/json') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw new IngestError('INVALID_UTF8', 'the OTLP/JSON body is not valid UTF-8');
    }
    try {
      request = JSON.parse(text) as OtlpJsonRequest;
    } catch (e) {
      throw new IngestError('INVALID_BODY', `the OTLP/JSON body is not JSON: ${(e as Error).message}`);
    }
  } else {
    throw new IngestError('UNSUPPORTED_MEDIA_TYPE', `OTLP/HTTP bodies are application/x-protobuf or application/json (got "${contentType || 'none'}")`);
  }
  return convert(request, options);
}

const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

function convert(request: OtlpJsonRequest, options: OtlpInputOptions): OtlpConversion {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new IngestError('INVALID_BODY', 'an ExportLogsServiceRequest is a JSON object');
  const resourceLogs = request.resourceLogs ?? [];
  if (!Array.isArray(resourceLogs)) throw new IngestError('INVALID_BODY', '"resourceLogs" must be an array');
  const out: OtlpConversion = { records: [], rejected: 0, truncated: 0 };
  for (const rl of resourceLogs) {
    const resource = attributesOf(rl?.resource?.attributes, 'resource.attributes');
    const serviceName = typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined;
    const source = sourceToken(serviceName, 'otlp');
    const hinted = resource['loglens.agent'] === 'wifi' || resource['loglens.agent'] === 'base' ? resource['loglens.agent'] : undefined;
    const agent = chooseAgent(options.routing, source, serviceName, options.agent ?? hinted);
    const host = typeof resource['host.name'] === 'string' ? resource['host.name'] : undefined;
    const scopeLogs = rl?.scopeLogs ?? [];
    if (!Array.isArray(scopeLogs)) throw new IngestError('INVALID_BODY', '"scopeLogs" must be an array');
    for (const sl of scopeLogs) {
      const logRecords = sl?.logRecords ?? [];
      if (!Array.isArray(logRecords)) throw new IngestError('INVALID_BODY', '"logRecords" must be an array');
      for (const lr of logRecords) {
        if (typeof lr !== 'object' || lr === null) throw new IngestError('INVALID_BODY', 'a log record must be an object');
        if (out.records.length >= MAX_RECORDS_PER_REQUEST) {
          throw new IngestError('PAYLOAD_TOO_LARGE', `at most ${MAX_RECORDS_PER_REQUEST} log records per export request`);
        }
        const message = lr.body === undefined ? '' : bodyText(lr.body);
        if (!message) {
          out.rejected++;
          continue;
        }
        const fields: Record<string, string | number | boolean> = {};
        const severity = lr.severityText || severityName(lr.severityNumber);
        if (severity) fields['severity'] = severity;
        if (typeof lr.severityNumber === 'number' && lr.severityNumber > 0) fields['severityNumber'] = lr.severityNumber;
        if (lr.traceId) fields['traceId'] = String(lr.traceId);
        if (lr.spanId) fields['spanId'] = String(lr.spanId);
        if (sl?.scope?.name) fields['scope'] = String(sl.scope.name);
        if (lr.eventName) fields['eventName'] = String(lr.eventName);
        for (const [key, value] of Object.entries(attributesOf(lr.attributes, 'attributes'))) fields[key] = value;
        const timestamp = nanosToIso(lr.timeUnixNano) ?? nanosToIso(lr.observedTimeUnixNano);
        let record: IngestRecord = { message, source, agent, ...(timestamp ? { timestamp } : {}), ...(host ? { host } : {}) };
        if (Object.keys(fields).length) record.fields = fields;
        record = capMessage(record, options.maxLineBytes);
        if (record.fields?.['truncated'] === true) out.truncated++;
        out.records.push(record);
      }
    }
  }
  return out;
}

function severityName(n: number | undefined): string | undefined {
  return typeof n === 'number' && n >= 1 && n <= 24 ? SEVERITY_NAMES[Math.floor((n - 1) / 4)] : undefined;
}

function nanosToIso(value: string | number | undefined): string | undefined {
  if (value === undefined || value === null || value === 0 || value === '0' || value === '') return undefined;
  let ms: number;
  if (typeof value === 'number') ms = Math.floor(value / 1e6);
  else if (/^\d{1,20}$/.test(value)) ms = Number(BigInt(value) / 1_000_000n);
  else throw new IngestError('INVALID_BODY', `timeUnixNano "${String(value).slice(0, 40)}" is not a number of nanoseconds`);
  if (!Number.isFinite(ms) || ms <= 0 || ms > 8.64e15) return undefined;
  return new Date(ms).toISOString();
}

function attributesOf(list: OtlpJsonKeyValue[] | undefined, where: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new IngestError('INVALID_BODY', `"${where}" must be an array of {key, value}`);
  for (const kv of list) {
    if (typeof kv?.key !== 'string' || !kv.key) continue;
    const v = anyValue(kv.value, 0);
    if (v === undefined || v === null) continue;
    out[kv.key] = typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
  }
  return out;
}

function bodyText(body: OtlpJsonAnyValue): string {
  if (typeof body?.stringValue === 'string') return body.stringValue;
  const v = anyValue(body, 0);
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const MAX_DEPTH = 32;

/** An AnyValue as plain JSON (maps as objects, arrays as arrays); undefined when it holds nothing. */
function anyValue(v: OtlpJsonAnyValue | undefined, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new IngestError('INVALID_BODY', `values nested deeper than ${MAX_DEPTH}`);
  if (typeof v !== 'object' || v === null) return undefined;
  if (v.stringValue !== undefined) return String(v.stringValue);
  if (v.boolValue !== undefined) return Boolean(v.boolValue);
  if (v.intValue !== undefined) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.bytesValue !== undefined) return String(v.bytesValue);
  if (v.arrayValue !== undefined) return Array.isArray(v.arrayValue?.values) ? v.arrayValue.values.map((x) => anyValue(x, depth + 1)) : [];
  if (v.kvlistValue !== undefined) {
    const o: Record<string, unknown> = {};
    for (const kv of Array.isArray(v.kvlistValue?.values) ? v.kvlistValue.values : []) if (typeof kv?.key === 'string') o[kv.key] = anyValue(kv.value, depth + 1);
    return o;
  }
  return undefined;
}
