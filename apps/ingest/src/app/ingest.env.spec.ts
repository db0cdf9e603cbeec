import 'reflect-metadata';
import { validateEnv } from '@loglens/nest-common';
import { IngestEnv } from './ingest.env';

describe('IngestEnv', () => {
  it('has working defaults', () => {
    expect(validateEnv(IngestEnv, {})).toMatchObject({ SYSLOG_PORT: 5514, SYSLOG_HOST: '0.0.0.0', SYSLOG_PROTOCOLS: 'tcp,udp', SYSLOG_SOURCE_BY: 'host', INGEST_MAX_LINE_BYTES: 65536 });
  });

  it('fails fast naming every bad variable', () => {
    expect(() => validateEnv(IngestEnv, { SYSLOG_PORT: '70000', SYSLOG_PROTOCOLS: 'tcp,sctp', SYSLOG_SOURCE_BY: 'ip' })).toThrow(
      /SYSLOG_PORT[\s\S]*SYSLOG_PROTOCOLS must be tcp, udp or tcp,udp[\s\S]*SYSLOG_SOURCE_BY/,
    );
  });
});
