import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { IngestError } from './errors';
import { encodeExportLogsResponse } from './otlp-protobuf';
import { otlpLogsToRecords } from './otlp';
import { parseRouting } from './routing';

/** Log records as the OpenTelemetry JS SDK produces them, to be serialized by its own OTLP serializers. */
async function sdkRecords(service: string) {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'host.name': 'node-7' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('checkout', '1.2.0');
  logger.emit({ body: 'payment accepted for order 42', severityNumber: SeverityNumber.INFO, timestamp: new Date('2026-12-04T10:00:00.123Z'), attributes: { 'http.status': 200, retry: false } });
  logger.emit({ body: { event: 'cart', items: 3 }, severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', timestamp: new Date('2026-12-04T10:00:01Z') });
  logger.emit({ severityNumber: SeverityNumber.WARN, timestamp: new Date('2026-12-04T10:00:02Z') });
  await provider.forceFlush();
  return exporter.getFinishedLogRecords();
}

const options = { routing: parseRouting(), maxLineBytes: 64 * 1024 };

describe('otlpLogsToRecords', () => {
  it('reads what the OpenTelemetry SDK serializes, protobuf and JSON alike', async () => {
    const logs = await sdkRecords('checkout.api');
    const proto = otlpLogsToRecords(ProtobufLogsSerializer.serializeRequest(logs)!, 'application/x-protobuf', options);
    const json = otlpLogsToRecords(JsonLogsSerializer.serializeRequest(logs)!, 'application/json; charset=utf-8', options);
    expect(proto).toEqual(json);
    expect(proto.rejected).toBe(1);
    expect(proto.records).toEqual([
      {
        message: 'payment accepted for order 42',
        source: 'checkout_api',
        agent: 'base',
        timestamp: '2026-12-04T10:00:00.123Z',
        host: 'node-7',
        fields: { severity: 'INFO', severityNumber: 9, scope: 'checkout', 'http.status': 200, retry: false },
      },
      {
        message: '{"event":"cart","items":3}',
        source: 'checkout_api',
        agent: 'base',
        timestamp: '2026-12-04T10:00:01.000Z',
        host: 'node-7',
        fields: { severity: 'ERROR', severityNumber: 17, scope: 'checkout' },
      },
    ]);
  });

  it('routes by service.name, the loglens.agent resource attribute or the caller', async () => {
    const logs = await sdkRecords('hostapd');
    const body = ProtobufLogsSerializer.serializeRequest(logs)!;
    expect(otlpLogsToRecords(body, 'application/x-protobuf', options).records[0]).toMatchObject({ agent: 'wifi', source: 'hostapd' });
    expect(otlpLogsToRecords(body, 'application/x-protobuf', { ...options, agent: 'base' }).records[0].agent).toBe('base');
    const hinted = { resourceLogs: [{ resource: { attributes: [{ key: 'loglens.agent', value: { stringValue: 'wifi' } }] }, scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' } }] }] }] };
    expect(otlpLogsToRecords(Buffer.from(JSON.stringify(hinted)), 'application/json', options).records[0]).toMatchObject({ agent: 'wifi', source: 'otlp' });
  });

  it('refuses malformed protobuf, invalid UTF-8, bad JSON and other media types with a 4xx naming the problem, never a crash', async () => {
    const good = Buffer.from(ProtobufLogsSerializer.serializeRequest(await sdkRecords('svc'))!);
    const refusals: [Uint8Array, string, string][] = [
      [good.subarray(0, good.length - 3), 'application/x-protobuf', 'INVALID_PROTOBUF'],
      [Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), 'application/x-protobuf', 'INVALID_PROTOBUF'],
      [Buffer.from([0x0f, 0x01]), 'application/x-protobuf', 'INVALID_PROTOBUF'],
      [Buffer.from([0x0a, 0x0a, 0x12, 0x08, 0x12, 0x06, 0x2a, 0x04, 0x0a, 0x02, 0xc3, 0x28]), 'application/x-protobuf', 'INVALID_UTF8'],
      [Buffer.from('{"resourceLogs": [}'), 'application/json', 'INVALID_BODY'],
      [Buffer.from('{"resourceLogs": {}}'), 'application/json', 'INVALID_BODY'],
      [Buffer.from([0x7b, 0xff, 0x7d]), 'application/json', 'INVALID_UTF8'],
      [good, 'text/plain', 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    for (const [body, type, code] of refusals) {
      let error: unknown;
      try {
        otlpLogsToRecords(body, type, options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(IngestError);
      expect([(error as IngestError).code, (error as IngestError).httpStatus < 500]).toEqual([code, true]);
    }
    // random bytes: any verdict but a crash
    let seed = 7;
    for (let n = 0; n < 2000; n++) {
      const bytes = Buffer.alloc(64, 0).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff);
      try {
        otlpLogsToRecords(bytes, 'application/x-protobuf', options);
      } catch (e) {
        expect(e).toBeInstanceOf(IngestError);
      }
    }
  });

  it('refuses values nested deep enough to exhaust the stack', () => {
    // AnyValue{array_value: ArrayValue{values: [AnyValue{…}]}} 10,000 levels deep
    let v = field(1, Buffer.from('x'));
    for (let d = 0; d < 10_000; d++) v = field(5, field(1, v));
    const body = field(1, field(2, field(2, field(5, v))));
    expect(() => otlpLogsToRecords(body, 'application/x-protobuf', options)).toThrow(/nested deeper than 32/);
  });

  it('encodes partial success as ExportLogsServiceResponse', () => {
    expect(encodeExportLogsResponse(0, '')).toHaveLength(0);
    expect(Buffer.from(encodeExportLogsResponse(2, 'no body')).toString('hex')).toBe('0a0b08021207' + Buffer.from('no body').toString('hex'));
  });
});

/** one length-delimited protobuf field */
function field(n: number, payload: Buffer): Buffer {
  const len: number[] = [];
  let x = payload.length;
  while (x > 0x7f) {
    len.push((x & 0x7f) | 0x80);
    x >>>= 7;
  }
  len.push(x);
  return Buffer.concat([Buffer.from([(n << 3) | 2, ...len]), payload]);
}
