import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeNatsSecurity } from './nats-security';

describe('writeNatsSecurity', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'loglens-natssec-unit-'));

  it('writes one 0600 seed per principal and namespace, and a config holding only their public keys', () => {
    const d = dir();
    const sec = writeNatsSecurity({ dir: d, namespaces: ['a', 'b'], port: 4999, storeDir: '/data' });
    const config = readFileSync(sec.configFile, 'utf8');
    for (const ns of ['a', 'b']) {
      const seed = readFileSync(sec.seedFile(ns, 'registry'), 'utf8').trim();
      expect(seed).toMatch(/^SU[A-Z0-9]+$/);
      expect(statSync(sec.seedFile(ns, 'registry')).mode & 0o777).toBe(0o600);
      expect(config).not.toContain(seed);
      expect(config).toContain(`# ${ns} / registry`);
    }
    expect(statSync(sec.configFile).mode & 0o777).toBe(0o600);
    expect(config).toContain('listen: "127.0.0.1:4999"');
    expect(config).not.toContain('tls {');
  });

  it('keeps the seeds of an earlier start and adds TLS when certificates are given', () => {
    const d = dir();
    const first = writeNatsSecurity({ dir: d, namespaces: ['a'], port: 4999, storeDir: '/data' });
    const seed = readFileSync(first.seedFile('a', 'gateway'), 'utf8');
    const second = writeNatsSecurity({ dir: d, namespaces: ['a'], port: 4999, storeDir: '/data', tls: { certFile: '/s.pem', keyFile: '/s.key', caFile: '/ca.pem' } });
    expect(readFileSync(second.seedFile('a', 'gateway'), 'utf8')).toBe(seed);
    expect(readFileSync(second.configFile, 'utf8')).toMatch(/tls \{\n {2}cert_file: "\/s.pem"\n {2}key_file: "\/s.key"\n {2}ca_file: "\/ca.pem"\n {2}verify: true\n\}/);
  });
});
