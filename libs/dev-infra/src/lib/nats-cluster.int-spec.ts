// A three-node JetStream cluster on loopback with the stack's credentials: an R3 stream keeps taking writes and loses
// nothing while one node is down, and the node catches up when it comes back. The stack-level fault runs (`npm run
// chaos -- --cluster`) build on this.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { NAMESPACE } from '@loglens/contracts';
import { natsConnectOptions, natsServers } from '@loglens/nest-common';
import { startNatsCluster, type NatsClusterHandle } from './nats-server';
import { waitFor } from './wait-for';

describe('a three-node NATS cluster', () => {
  jest.setTimeout(120_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'loglens-cluster-'));
  let cluster: NatsClusterHandle;
  let nc: NatsConnection;

  beforeAll(async () => {
    cluster = await startNatsCluster({ dataDir: dir, namespaces: [NAMESPACE] });
    const seed = { NATS_NKEY_FILE: cluster.security.seedFile(NAMESPACE, 'ops') };
    nc = await connect({ ...natsConnectOptions('ops', seed), servers: natsServers(cluster.url), maxReconnectAttempts: -1, reconnectTimeWait: 200 });
  });

  afterAll(async () => {
    await nc?.close().catch(() => undefined);
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps an R3 stream writable with one node killed, loses nothing, and lets the node rejoin', async () => {
    // no account-info probe: the cluster may not have elected its meta leader yet (the add below waits for it)
    const jsm = await nc.jetstreamManager({ checkAPI: false });
    const stream = `${NAMESPACE}-CLUSTER-SPEC`;
    const subject = `${NAMESPACE}.logs.generic.cluster-spec`;
    // the cluster elects its meta leader a moment after the nodes start: the stream can be created once it has one
    await waitFor(
      'the cluster to accept an R3 stream',
      () => jsm.streams.add({ name: stream, subjects: [subject], num_replicas: 3 }).then(() => true, () => undefined),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const js = nc.jetstream();
    const acked = new Set<number>();
    // the stream's leader may be the killed node: until a new one is elected a publish fails, and is sent again (the
    // msgID dedupes a publish that was stored but not acknowledged)
    const publish = async (n: number): Promise<void> => {
      const seq = await waitFor(
        `line ${n} acknowledged by the stream`,
        () => js.publish(subject, new TextEncoder().encode(`line ${n}`), { msgID: `l${n}`, timeout: 3000 }).then((ack) => ack.seq, () => undefined),
        { timeoutMs: 60_000 },
      );
      acked.add(seq);
    };
    for (let n = 0; n < 200; n++) await publish(n);
    // the node that leads the stream: with fewer replicas than three, the writes below would wait for it to return
    const leader = (await jsm.streams.info(stream)).cluster?.leader;
    const victim = cluster.nodes.findIndex((node) => node.name === leader);
    expect(victim).toBeGreaterThanOrEqual(0);
    cluster.nodes[victim].process?.kill('SIGKILL');
    for (let n = 200; n < 400; n++) await publish(n);
    await cluster.restart(victim);
    for (let n = 400; n < 500; n++) await publish(n);

    expect(acked.size).toBe(500);
    const info = await jsm.streams.info(stream);
    expect(info.state.messages).toBe(500);
    expect(info.config.num_replicas).toBe(3);
  });
});
