import {
  LOG_PARTITIONS,
  agentConsumers,
  allAgentDurables,
  checkAgentInstance,
  logPartition,
  logSubject,
  logSubjectsOf,
  partitionsOf,
  sourceOfSubject,
} from './partitions';

describe('LOGS partitions', () => {
  it('defaults to one partition: today’s subjects and durables', () => {
    expect(LOG_PARTITIONS).toBe(1);
    expect(logSubject('base', 'app1')).toBe('loglens.logs.generic.app1');
    expect(logSubject('wifi', 'site1')).toBe('loglens.logs.wifi.site1');
    expect(logSubjectsOf('base', 'app1')).toEqual(['loglens.logs.generic.app1']);
    expect(agentConsumers('base')).toEqual([
      { durable: 'loglens-agent-base', filterSubject: 'loglens.logs.generic.>', partition: null },
    ]);
    expect(checkAgentInstance({ index: 0, count: 1 })).toBeNull();
  });

  it('hashes a source to a stable partition (FNV-1a) spread over all of them', () => {
    expect(logPartition('app1', 8)).toBe(logPartition('app1', 8));
    // FNV-1a 32 of "a" is 0xe40c292c
    expect(logPartition('a', 1000)).toBe(0xe40c292c % 1000);
    const hits = new Array(4).fill(0);
    for (let i = 0; i < 400; i++) hits[logPartition(`host-${i}`, 4)]++;
    for (const n of hits) expect(n).toBeGreaterThan(60);
  });

  it('puts the partition in the subject and reads the source back from either form', () => {
    const k = logPartition('ap-7', 4);
    expect(logSubject('wifi', 'ap-7', 4)).toBe(`loglens.logs.wifi.p${k}.ap-7`);
    expect(logSubjectsOf('wifi', 'ap-7', 4)).toEqual([
      `loglens.logs.wifi.p${k}.ap-7`,
      'loglens.logs.wifi.ap-7',
    ]);
    expect(sourceOfSubject(`loglens.logs.wifi.p${k}.ap-7`)).toBe('ap-7');
    expect(sourceOfSubject('loglens.logs.wifi.ap-7')).toBe('ap-7');
    // a source named like a partition, unpartitioned
    expect(sourceOfSubject('loglens.logs.generic.p3')).toBe('p3');
  });

  it('gives instance i of n the partitions k ≡ i (mod n), each through its own durable; instance 0 also the plain subjects', () => {
    expect(partitionsOf({ index: 1, count: 2 }, 5)).toEqual([1, 3]);
    expect(partitionsOf({ index: 0, count: 2 }, 5)).toEqual([0, 2, 4]);
    expect(agentConsumers('base', { index: 1, count: 2 }, 4)).toEqual([
      { durable: 'loglens-agent-base-p1', filterSubject: 'loglens.logs.generic.p1.*', partition: 1 },
      { durable: 'loglens-agent-base-p3', filterSubject: 'loglens.logs.generic.p3.*', partition: 3 },
    ]);
    expect(agentConsumers('wifi', { index: 0, count: 2 }, 2).map((c) => c.filterSubject)).toEqual([
      'loglens.logs.wifi.p0.*',
      'loglens.logs.wifi.*',
    ]);
    expect(allAgentDurables('wifi', 3)).toEqual([
      'loglens-agent-wifi-p0',
      'loglens-agent-wifi-p1',
      'loglens-agent-wifi-p2',
      'loglens-agent-wifi-plain',
    ]);
  });

  it('refuses an instance setting that would leave an instance without partitions or out of range', () => {
    expect(checkAgentInstance({ index: 0, count: 2 }, 1)).toMatch(/LOGLENS_LOG_PARTITIONS ≥ 2/);
    expect(checkAgentInstance({ index: 2, count: 2 }, 4)).toMatch(
      /AGENT_INSTANCE_INDEX must be from 0 to .* = 1/,
    );
    expect(checkAgentInstance({ index: 1, count: 2 }, 4)).toBeNull();
  });
});
