import { ContractDeserializer, UNPARSEABLE_PAYLOAD } from './contract-deserializer';

const enc = (s: string) => new TextEncoder().encode(s);

describe('ContractDeserializer', () => {
  const d = new ContractDeserializer();

  it('keeps the Nest envelope as sent', () => {
    expect(d.deserialize(enc(JSON.stringify({ pattern: 'a.b', data: { x: 1 }, id: 'id-1' })), { channel: 'a.b', replyTo: '_INBOX.1' })).toEqual({
      pattern: 'a.b',
      data: { x: 1 },
      id: 'id-1',
    });
  });

  it('wraps a plain JSON request from any NATS client so it gets a reply', () => {
    const msg = d.deserialize(enc('{"ref":"m@1"}'), { channel: 'registry.version.get.v1', replyTo: '_INBOX.2' });
    expect(msg).toMatchObject({ pattern: 'registry.version.get.v1', data: { ref: 'm@1' } });
    expect(typeof (msg as { id?: string }).id).toBe('string');
  });

  it('marks non-JSON instead of throwing inside the transport', () => {
    expect(d.deserialize(enc('{oops'), { channel: 'x', replyTo: '_INBOX.3' })).toMatchObject({ data: UNPARSEABLE_PAYLOAD });
  });

  it('treats a message without reply subject as an event', () => {
    expect(d.deserialize(enc('{"a":1}'), { channel: 'x' })).toEqual({ pattern: 'x', data: { a: 1 } });
  });
});
