import { capMessage, decodeUtf8, type IngestRecord } from './record';
import { chooseAgent, sourceToken, type InputRouting } from './routing';
import { parseSyslog } from './syslog-message';

export interface SyslogInputOptions {
  routing: InputRouting;
  /** which envelope field names the source: HOSTNAME (default) or APP-NAME; the other one is the fallback */
  sourceBy: 'host' | 'app';
  maxLineBytes: number;
}

export interface SyslogConversion {
  record: IngestRecord;
  /** the frame was not valid UTF-8: decoded with U+FFFD and flagged `invalidUtf8`, not dropped */
  invalidUtf8: boolean;
  truncated: boolean;
}

/**
 * One syslog frame (a datagram, or a TCP frame) as a record. The source is the sender's hostname (or app-name),
 * the peer address when the envelope names neither. WiFi-bound lines keep a syslog-style prefix
 * (`<time> <host> <program>[pid]: <msg>`), the form the WiFi parsers read; other lines carry the body alone with the
 * envelope in fields.
 */
export function syslogRecord(
  frame: { bytes: Buffer; oversize?: boolean; originalBytes?: number },
  peer: string,
  options: SyslogInputOptions,
  now = Date.now(),
): SyslogConversion {
  let bytes = frame.bytes;
  while (bytes.length && (bytes[bytes.length - 1] === 0x0a || bytes[bytes.length - 1] === 0x0d || bytes[bytes.length - 1] === 0)) {
    bytes = bytes.subarray(0, bytes.length - 1);
  }
  const { text, valid } = decodeUtf8(bytes);
  const msg = parseSyslog(text, now);
  const named = options.sourceBy === 'app' ? (msg.appName ?? msg.hostname) : (msg.hostname ?? msg.appName);
  const source = sourceToken(named, peer || 'syslog');
  const agent = chooseAgent(options.routing, source, msg.appName);
  const fields: Record<string, string | number | boolean> = {};
  if (msg.severity) fields['severity'] = msg.severity;
  if (msg.facility !== undefined) fields['facility'] = msg.facility;
  if (msg.appName) fields['appName'] = msg.appName;
  if (msg.procId) fields['procId'] = msg.procId;
  if (msg.msgId) fields['msgId'] = msg.msgId;
  if (msg.structuredData) fields['structuredData'] = msg.structuredData;
  if (!valid) fields['invalidUtf8'] = true;
  let message = msg.message;
  if (agent === 'wifi' && msg.appName && msg.timestamp) {
    message = `${msg.timestamp} ${msg.hostname ?? source} ${msg.appName}${msg.procId ? `[${msg.procId}]` : ''}: ${message}`;
  }
  let record: IngestRecord = { message, source, agent, ...(msg.timestamp ? { timestamp: msg.timestamp } : {}), ...(msg.hostname ? { host: msg.hostname } : {}) };
  if (Object.keys(fields).length) record.fields = fields;
  record = capMessage(record, options.maxLineBytes);
  let truncated = record.fields?.['truncated'] === true;
  if (frame.oversize) {
    // the framer already cut the frame: say how long it really was
    record.fields = { ...record.fields, truncated: true, originalBytes: frame.originalBytes ?? bytes.length };
    truncated = true;
  }
  return { record, invalidUtf8: !valid, truncated };
}
