import { AuthSubjects, RegistrySubjects, inNamespace } from '@loglens/contracts';
import { NATS_PERMISSIONS, natsPrincipals, natsUser, subjectMatches } from './nats-permissions';

describe('NATS permission table', () => {
  it('has one entry per service, the log producer and the operator', () => {
    expect(natsPrincipals().sort()).toEqual(['agent-base', 'agent-wifi', 'gateway', 'inference-worker', 'ingest', 'log-producer', 'ops', 'registry', 'trainer']);
  });

  it('moves every subject and JetStream name into the namespace it is generated for', () => {
    for (const principal of natsPrincipals()) {
      const user = natsUser(principal, 'b');
      for (const subject of [...user.publish, ...user.subscribe]) {
        expect(subject.startsWith('loglens')).toBe(false);
        expect(subject.includes('loglens')).toBe(false);
      }
    }
    expect(natsUser('agent-wifi', 'b').publish).toContain('$JS.API.CONSUMER.MSG.NEXT.b-LOGS.b-agent-wifi');
  });

  it('lets only the gateway and the trainer deploy, only workers read artifact chunks, and the log producer publish only logs', () => {
    const deploy = inNamespace(RegistrySubjects.deployVersion, 'a');
    const chunk = inNamespace(RegistrySubjects.getArtifactChunk, 'a');
    const services = Object.keys(NATS_PERMISSIONS);
    expect(services.filter((p) => natsUser(p, 'a').publish.includes(deploy))).toEqual(['gateway', 'trainer']);
    expect(services.filter((p) => natsUser(p, 'a').publish.includes(chunk))).toEqual(['inference-worker']);
    expect(natsUser('log-producer', 'a')).toMatchObject({ publish: ['a.logs.>'], subscribe: ['_INBOX_a_log-producer.>'] });
  });

  it('lets only the gateway call the key and audit subjects, only the registry answer them, and only gateways hear key changes', () => {
    const services = Object.keys(NATS_PERMISSIONS);
    const { keysChanged, ...requests } = AuthSubjects;
    for (const subject of Object.values(requests).map((s) => inNamespace(s, 'a'))) {
      expect(services.filter((p) => natsUser(p, 'a').publish.includes(subject))).toEqual(['gateway']);
      expect(services.filter((p) => natsUser(p, 'a').subscribe.includes(subject))).toEqual(['registry']);
    }
    expect(services.filter((p) => natsUser(p, 'a').subscribe.some((s) => subjectMatches(s, inNamespace(keysChanged, 'a'))))).toEqual(['gateway']);
  });

  it('lets only the gateway list the dead letters, and only the registry answer that', () => {
    const services = Object.keys(NATS_PERMISSIONS);
    const subject = inNamespace(RegistrySubjects.listDeadLetters, 'a');
    expect(services.filter((p) => natsUser(p, 'a').publish.some((s) => subjectMatches(s, subject)))).toEqual(['gateway']);
    expect(services.filter((p) => natsUser(p, 'a').subscribe.some((s) => subjectMatches(s, subject)))).toEqual(['registry']);
    // the registry reads the DEADLETTER stream with message gets
    expect(natsUser('registry', 'a').publish).toEqual(expect.arrayContaining(['$JS.API.STREAM.INFO.a-DEADLETTER', '$JS.API.STREAM.MSG.GET.a-DEADLETTER']));
  });

  it('lets a service answer exactly the principals that may call it (and the operator)', () => {
    const inboxes = (p: string) => natsUser(p, 'a').publish.filter((s) => s.startsWith('_INBOX'));
    expect(inboxes('registry').sort()).toEqual(['agent-base', 'agent-wifi', 'gateway', 'inference-worker', 'ops', 'trainer'].map((p) => `_INBOX_a_${p}.>`));
    expect(inboxes('agent-wifi').sort()).toEqual(['gateway', 'ops'].map((p) => `_INBOX_a_${p}.>`));
    expect(inboxes('log-producer')).toEqual([]);
  });

  it('gives the object store users every JetStream subject an object put, get and delete need', () => {
    const gateway = natsUser('gateway', 'a').publish;
    for (const s of ['$JS.API.STREAM.NAMES', '$JS.API.STREAM.PURGE.OBJ_a-payloads', '$JS.API.CONSUMER.CREATE.OBJ_a-payloads.>', '$JS.FC.OBJ_a-payloads.>', '$O.a-payloads.>']) {
      expect(gateway).toContain(s);
    }
    // the gateway's log inputs write LOGS (and create it when they start first); a worker touches no stream
    expect(gateway).toContain('$JS.API.STREAM.CREATE.a-LOGS');
    expect(natsUser('inference-worker', 'a').publish.some((s) => s.includes('a-LOGS'))).toBe(false);
  });

  it('matches subjects with wildcards', () => {
    expect(subjectMatches('a.logs.>', 'a.logs.wifi.s1')).toBe(true);
    expect(subjectMatches('a.logs.wifi.s1', 'a.logs.>')).toBe(true);
    expect(subjectMatches('a.logs.*', 'a.logs.wifi.s1')).toBe(false);
    expect(subjectMatches('a.health.ping.v1', 'a.health.ping.v1')).toBe(true);
    expect(subjectMatches('a.health.ping.v1', 'a.health.ping')).toBe(false);
  });

  it('gives each principal its own inboxes only', () => {
    for (const principal of Object.keys(NATS_PERMISSIONS)) {
      const inboxes = natsUser(principal, 'a').subscribe.filter((s) => s.startsWith('_INBOX'));
      expect(inboxes).toEqual([`_INBOX_a_${principal}.>`]);
    }
  });
});
