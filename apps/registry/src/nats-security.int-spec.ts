import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, ErrorCode, type NatsConnection, type NatsError } from 'nats';
import {
  AnalysisSubjects,
  HealthSubjects,
  JetStreamNames,
  LogSubjects,
  RegistrySubjects,
  inNamespace,
  jetStreamName,
} from '@loglens/contracts';
import { startNatsServer, type NatsHandle } from '@loglens/dev-infra';
import { RpcClient, natsConnectOptions, scatterGather } from '@loglens/nest-common';
import { dropSchema, errorOf, spawnService, testDatabaseUrl, uniqueSchema, type RunningService } from '@loglens/testing';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** The Nest envelope RpcClient sends, so a request that gets through is one the registry would act on. */
function envelope(subject: string, data: object): Uint8Array {
  return encode({ pattern: subject, data, id: 'security-spec' });
}

/** The code a NATS operation failed with (fails the spec when it succeeds). */
async function natsErrorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as NatsError).code ?? (e as Error).message;
  }
  throw new Error('expected the NATS operation to be refused');
}

/**
 * The NATS the services run on in production shape: this spec starts its own nats-server from the generated config
 * (namespaces `a` and `b`, one nkey per principal and namespace) and the real, built registry of each stack.
 */
describe('NATS security: credentials, per-service permissions and namespaces on one nats-server', () => {
  let nats: NatsHandle;
  const schemas = { a: uniqueSchema('sec_a'), b: uniqueSchema('sec_b') };
  const registries: Partial<Record<'a' | 'b', RunningService>> = {};
  const clients: NatsConnection[] = [];

  /** A client with a principal's credential of namespace `ns` (its inboxes are that principal's). */
  async function as(principal: string, ns: string, name = `${ns}-${principal}`): Promise<NatsConnection> {
    const nc = await connect({
      ...natsConnectOptions(principal, { NATS_NKEY_FILE: nats.security!.seedFile(ns, principal), LOGLENS_NAMESPACE: ns }),
      servers: nats.url,
      name,
    });
    clients.push(nc);
    return nc;
  }

  function startRegistry(ns: 'a' | 'b', ops: NatsConnection): Promise<RunningService> {
    return spawnService(
      'registry',
      ops,
      {
        NATS_URL: nats.url,
        NATS_NKEY_FILE: nats.security!.seedFile(ns, 'registry'),
        DATABASE_URL: testDatabaseUrl(),
        DATABASE_SCHEMA: schemas[ns],
      },
      { namespace: ns, instanceId: `registry-${ns}` },
    );
  }

  beforeAll(async () => {
    nats = await startNatsServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'loglens-it-natssec-')), secure: { namespaces: ['a', 'b'] } });
    const [opsA, opsB] = await Promise.all([as('ops', 'a'), as('ops', 'b')]);
    registries.a = await startRegistry('a', opsA);
    registries.b = await startRegistry('b', opsB);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(Object.values(registries).map((r) => r?.stop()));
    await nats?.stop();
    await Promise.all(Object.values(schemas).map((s) => dropSchema(s)));
  });

  it('refuses a client without credentials: it can neither connect nor, so, deploy, read an artifact or publish a result', async () => {
    expect(await natsErrorOf(connect({ servers: nats.url, name: 'anonymous', reconnect: false }))).toBe(ErrorCode.AuthorizationViolation);
    expect(await natsErrorOf(connect({ servers: nats.url, name: 'forged', user: 'admin', pass: 'admin', reconnect: false }))).toBe(
      ErrorCode.AuthorizationViolation,
    );
  });

  it('lets the gateway deploy and a worker read artifact chunks (the subjects below are the real ones)', async () => {
    const gateway = new RpcClient(await as('gateway', 'a'), 10_000);
    const worker = new RpcClient(await as('inference-worker', 'a'), 10_000);
    // both reach the registry of stack a, which answers that there is no such version
    expect((await errorOf(gateway.call(inNamespace(RegistrySubjects.deployVersion, 'a'), { ref: 'nope@1', actor: 'spec' }))).code).toBe('NOT_FOUND');
    expect(
      (await errorOf(worker.call(inNamespace(RegistrySubjects.getArtifactChunk, 'a'), { sha256: 'a'.repeat(64), index: 0 }))).code,
    ).toBe('NOT_FOUND');
  });

  it("refuses an agent's credential to deploy a model, read an artifact or the dead letters, or listen to other principals' replies", async () => {
    const agent = await as('agent-base', 'a');
    const deploy = inNamespace(RegistrySubjects.deployVersion, 'a');
    const chunk = inNamespace(RegistrySubjects.getArtifactChunk, 'a');
    expect(await natsErrorOf(agent.request(deploy, envelope(deploy, { ref: 'log-anomaly@1', actor: 'admin:ceo-approved' }), { timeout: 5000 }))).toBe(
      ErrorCode.PermissionsViolation,
    );
    expect(await natsErrorOf(agent.request(chunk, envelope(chunk, { sha256: 'a'.repeat(64), index: 0 }), { timeout: 5000 }))).toBe(
      ErrorCode.PermissionsViolation,
    );
    // nor read the dead letters (other services' payloads): only the gateway may ask for them
    const deadLetters = inNamespace(RegistrySubjects.listDeadLetters, 'a');
    expect(await natsErrorOf(agent.request(deadLetters, envelope(deadLetters, { limit: 1 }), { timeout: 5000 }))).toBe(ErrorCode.PermissionsViolation);
    // the artifact chunks a worker receives arrive on its inboxes: nobody else may subscribe to them (the server
    // refuses the subscription and nats.js closes it; an allowed one stays open)
    const refusals: string[] = [];
    void (async () => {
      for await (const s of agent.status()) if (s.type === 'error') refusals.push(String(s.data));
    })();
    const sniff = agent.subscribe('_INBOX_a_inference-worker.>');
    await sniff.closed;
    expect(sniff.isClosed()).toBe(true);
    expect(refusals).toContain(ErrorCode.PermissionsViolation);
    // the agent itself still does its job: it publishes analysis results
    const ack = await agent.jetstream().publish(inNamespace(`${AnalysisSubjects.results}.security`, 'a'), encode({ id: 'x' }));
    expect(ack.stream).toBe(jetStreamName(withoutJetStream(JetStreamNames.analysis), 'a'));
    // …in its own stack only: it cannot forge results into stack b
    expect(await natsErrorOf(agent.jetstream().publish(inNamespace(`${AnalysisSubjects.results}.security`, 'b'), encode({ id: 'forged' })))).toBe(
      ErrorCode.PermissionsViolation,
    );
  });

  it('lets the log-producer credential publish logs into JetStream, and nothing else', async () => {
    const producer = await as('log-producer', 'a');
    const ack = await producer.jetstream().publish(inNamespace(`${LogSubjects.generic}.security`, 'a'), new TextEncoder().encode('a log line'));
    expect(ack.stream).toBe(jetStreamName(withoutJetStream(JetStreamNames.logs), 'a'));
    const list = inNamespace(RegistrySubjects.listModels, 'a');
    expect(await natsErrorOf(producer.request(list, envelope(list, {}), { timeout: 5000 }))).toBe(ErrorCode.PermissionsViolation);
    expect(
      await natsErrorOf(producer.jetstream().publish(inNamespace(`${AnalysisSubjects.results}.security`, 'a'), encode({ id: 'forged' }))),
    ).toBe(ErrorCode.PermissionsViolation);
  });

  it('lets the gateway and an agent hand large bodies over through the payloads bucket, and a worker not read them', async () => {
    const bucket = jetStreamName(withoutJetStream(JetStreamNames.payloads), 'a');
    const body = new TextEncoder().encode('x'.repeat(300_000));
    const gatewayOs = await (await as('gateway', 'a')).jetstream().views.os(bucket);
    await gatewayOs.putBlob({ name: 'analyze-body' }, body);
    const agentOs = await (await as('agent-wifi', 'a')).jetstream().views.os(bucket);
    expect((await agentOs.getBlob('analyze-body'))?.byteLength).toBe(body.byteLength);
    const worker = await as('inference-worker', 'a');
    expect(await natsErrorOf(worker.jetstream().views.os(bucket).then((os) => os.getBlob('analyze-body')))).toBe(ErrorCode.PermissionsViolation);
  });

  it('keeps two stacks apart on one nats-server: each registry answers only its own namespace', async () => {
    const [opsA, opsB] = [await as('ops', 'a', 'ops-a-2'), await as('ops', 'b', 'ops-b-2')];
    const pingA = await scatterGather(opsA, inNamespace(HealthSubjects.ping, 'a'), 300);
    const pingB = await scatterGather(opsB, inNamespace(HealthSubjects.ping, 'b'), 300);
    expect(pingA.map((r) => r.instanceId)).toEqual(['registry-a']);
    expect(pingB.map((r) => r.instanceId)).toEqual(['registry-b']);
    // a's credentials do not reach b at all
    const listB = inNamespace(RegistrySubjects.listModels, 'b');
    expect(await natsErrorOf(opsA.request(listB, envelope(listB, {}), { timeout: 5000 }))).toBe(ErrorCode.PermissionsViolation);

    // both registries sit in the queue group "registry": without namespaces b would answer a's calls once a is gone
    const rpcA = new RpcClient(opsA, 5000);
    const listA = inNamespace(RegistrySubjects.listModels, 'a');
    expect((await rpcA.call(listA, {})).models).toEqual([]);
    await registries.a!.stop();
    delete registries.a;
    expect((await errorOf(rpcA.call(listA, {}))).code).toBe('UNAVAILABLE');
    expect((await new RpcClient(opsB, 5000).call(listB, {})).models).toEqual([]);
  });
});

/** `loglens-LOGS` → `LOGS`: the spec's own names are in its namespace, the stacks' in `a`. */
function withoutJetStream(name: string): string {
  return name.slice(jetStreamName('').length);
}

const hasOpenssl = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;

/** A throw-away CA and a server certificate for 127.0.0.1 (openssl, as an operator would make them). */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=loglens-test-ca']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf']);
  return { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server.key') };
}

(hasOpenssl ? describe : describe.skip)('NATS over TLS when certificates are given', () => {
  let nats: NatsHandle;
  let registry: RunningService | undefined;
  let ops: NatsConnection | undefined;
  const schema = uniqueSchema('sec_tls');

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loglens-it-natstls-'));
    const certs = makeCertificates(dir);
    nats = await startNatsServer({ dataDir: dir, secure: { namespaces: ['t'], tls: { certFile: certs.cert, keyFile: certs.key } } });
    const tlsEnv = { NATS_TLS_CA: certs.ca, LOGLENS_NAMESPACE: 't' };
    ops = await connect({ ...natsConnectOptions('ops', { ...tlsEnv, NATS_NKEY_FILE: nats.security!.seedFile('t', 'ops') }), servers: nats.url });
    registry = await spawnService(
      'registry',
      ops,
      { NATS_URL: nats.url, ...tlsEnv, NATS_NKEY_FILE: nats.security!.seedFile('t', 'registry'), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema },
      { namespace: 't' },
    );
  });

  afterAll(async () => {
    await ops?.close();
    await registry?.stop();
    await nats?.stop();
    await dropSchema(schema);
  });

  it('serves a service that verifies the server with NATS_TLS_CA, and refuses a client that does not speak TLS', async () => {
    const list = inNamespace(RegistrySubjects.listModels, 't');
    expect((await new RpcClient(ops!, 5000).call(list, {})).models).toEqual([]);
    // a valid credential is not enough without TLS
    const plain = connect({ ...natsConnectOptions('ops', { LOGLENS_NAMESPACE: 't', NATS_NKEY_FILE: nats.security!.seedFile('t', 'ops') }), servers: nats.url, reconnect: false, tls: null });
    expect(String(await natsErrorOf(plain))).toMatch(/tls/i);
  });
});
