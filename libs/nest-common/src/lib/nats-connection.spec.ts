import { natsConnectOptions } from './nats-connection';

describe('natsConnectOptions', () => {
  it('connects without credentials to an open NATS, replies still on the principal inbox', () => {
    expect(natsConnectOptions('registry', {})).toEqual({ inboxPrefix: '_INBOX_loglens_registry' });
  });

  it('takes the inbox prefix from LOGLENS_NAMESPACE', () => {
    expect(natsConnectOptions('gateway', { LOGLENS_NAMESPACE: 'a' }).inboxPrefix).toBe('_INBOX_a_gateway');
  });

  it('uses user and password when given, and TLS files when given', () => {
    const options = natsConnectOptions('gateway', { NATS_USER: 'u', NATS_PASSWORD: 'p', NATS_TLS_CA: '/ca.pem', NATS_TLS_CERT: '/c.pem', NATS_TLS_KEY: '/k.pem' });
    expect(typeof options.authenticator).toBe('function');
    expect(options.tls).toEqual({ caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' });
  });

  it('fails at start when the nkey file is missing, naming it', () => {
    expect(() => natsConnectOptions('gateway', { NATS_NKEY_FILE: '/nonexistent/gateway.nk' })).toThrow(/gateway\.nk/);
  });
});
