import { jetStreamName, withoutNamespace } from './namespace';
import { LogSubjects } from './subjects';
import type { AgentKind } from './limits';

/**
 * Partitioning of the LOGS stream by source, so an agent kind scales to several instances without splitting a
 * source's windows: a record's partition is a stable hash of its source, producers put it in the subject
 * (`logs.generic.p3.<source>`), and agent instance i of n consumes the partitions k ≡ i (mod n), each through a
 * durable of its own. Every record of a source therefore reaches the same instance, in stream order.
 *
 * `LOGLENS_LOG_PARTITIONS` (default 1) is read once, when this module loads, like the namespace; every producer and
 * agent must see the same value. With 1 partition subjects and durables are today's (`logs.generic.<source>`, durable
 * `agent-base`), and every instance of a kind shares that one durable.
 */
export const MAX_LOG_PARTITIONS = 1024;

function readPartitions(): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const raw = env?.['LOGLENS_LOG_PARTITIONS'];
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LOG_PARTITIONS) {
    throw new Error(
      `LOGLENS_LOG_PARTITIONS must be a whole number from 1 to ${MAX_LOG_PARTITIONS} (got ${JSON.stringify(raw)})`,
    );
  }
  return n;
}

/** This process's number of LOGS partitions. */
export const LOG_PARTITIONS: number = readPartitions();

/** The partition of a source (its subject token): FNV-1a (32 bit) of its characters, modulo the partition count. */
export function logPartition(sourceToken: string, partitions: number = LOG_PARTITIONS): number {
  if (partitions <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < sourceToken.length; i++) {
    h ^= sourceToken.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % partitions;
}

/** The subject prefix of an agent kind's logs (`loglens.logs.wifi`). */
export function logPrefix(kind: AgentKind): string {
  return kind === 'wifi' ? LogSubjects.wifi : LogSubjects.generic;
}

/**
 * The LOGS subject of a source's records: `logs.<kind>.<source>` with one partition, `logs.<kind>.p<k>.<source>`
 * with more. Every producer builds it here.
 */
export function logSubject(
  kind: AgentKind,
  sourceToken: string,
  partitions: number = LOG_PARTITIONS,
): string {
  return partitions <= 1
    ? `${logPrefix(kind)}.${sourceToken}`
    : `${logPrefix(kind)}.p${logPartition(sourceToken, partitions)}.${sourceToken}`;
}

/**
 * Every subject a source's records may be stored under: its partitioned subject and the plain one (records from
 * before partitioning, or from a shipper that does not partition).
 */
export function logSubjectsOf(
  kind: AgentKind,
  sourceToken: string,
  partitions: number = LOG_PARTITIONS,
): string[] {
  const plain = `${logPrefix(kind)}.${sourceToken}`;
  return partitions <= 1 ? [plain] : [logSubject(kind, sourceToken, partitions), plain];
}

const PARTITION_TOKEN = /^p\d+$/;

/** `loglens.logs.wifi.site1` and `loglens.logs.wifi.p3.site1` → `site1`. */
export function sourceOfSubject(subject: string): string {
  const parts = withoutNamespace(subject).split('.');
  const rest = parts.length > 3 && PARTITION_TOKEN.test(parts[2]) ? parts.slice(3) : parts.slice(2);
  return rest.join('.') || 'unknown';
}

/** One durable LOGS consumer of an agent instance. */
export interface AgentConsumer {
  durable: string;
  filterSubject: string;
  /** the partition it reads; null: the unpartitioned subjects */
  partition: number | null;
}

/** Which instance of how many an agent process is (AGENT_INSTANCE_INDEX of AGENT_INSTANCES). */
export interface AgentInstance {
  index: number;
  count: number;
}

/** What is wrong with an instance setting (null: nothing). */
export function checkAgentInstance(
  instance: AgentInstance,
  partitions: number = LOG_PARTITIONS,
): string | null {
  if (!Number.isInteger(instance.count) || instance.count < 1)
    return `AGENT_INSTANCES must be a whole number ≥ 1 (got ${instance.count})`;
  if (!Number.isInteger(instance.index) || instance.index < 0 || instance.index >= instance.count) {
    return `AGENT_INSTANCE_INDEX must be from 0 to AGENT_INSTANCES - 1 = ${instance.count - 1} (got ${instance.index})`;
  }
  if (instance.count > 1 && instance.count > partitions) {
    return `AGENT_INSTANCES (${instance.count}) needs at least as many LOGS partitions: set LOGLENS_LOG_PARTITIONS ≥ ${instance.count} (it is ${partitions}) on every producer and agent`;
  }
  return null;
}

/** The partitions instance `index` of `count` consumes: k ≡ index (mod count). */
export function partitionsOf(instance: AgentInstance, partitions: number = LOG_PARTITIONS): number[] {
  const out: number[] = [];
  for (let k = instance.index; k < partitions; k += instance.count) out.push(k);
  return out;
}

/**
 * The durable LOGS consumers of an agent instance. One partition: the kind's one durable on `logs.<kind>.>` (shared
 * by every instance, as before). More: a durable per owned partition on `logs.<kind>.p<k>.*`, and instance 0 also
 * reads the unpartitioned subjects `logs.<kind>.*` (shippers that do not partition; all of them on one instance, so
 * their windows stay whole).
 */
export function agentConsumers(
  kind: AgentKind,
  instance: AgentInstance = { index: 0, count: 1 },
  partitions: number = LOG_PARTITIONS,
): AgentConsumer[] {
  const prefix = logPrefix(kind);
  if (partitions <= 1)
    return [{ durable: agentDurable(kind), filterSubject: `${prefix}.>`, partition: null }];
  const owned = partitionsOf(instance, partitions).map((k) => ({
    durable: agentDurable(kind, k),
    filterSubject: `${prefix}.p${k}.*`,
    partition: k,
  }));
  return instance.index === 0
    ? [...owned, { durable: agentDurable(kind, 'plain'), filterSubject: `${prefix}.*`, partition: null }]
    : owned;
}

/** Every durable of an agent kind, over all its instances (the NATS permission table). */
export function allAgentDurables(kind: AgentKind, partitions: number = LOG_PARTITIONS): string[] {
  return agentConsumers(kind, { index: 0, count: 1 }, partitions).map((c) => c.durable);
}

/**
 * The durable LOGS consumer of an agent kind (`loglens-agent-base`); of one of its partitions (`loglens-agent-base-p3`),
 * or of its unpartitioned subjects when partitioned (`loglens-agent-base-plain`).
 */
export function agentDurable(kind: AgentKind, partition?: number | 'plain'): string {
  return jetStreamName(
    partition === undefined
      ? `agent-${kind}`
      : partition === 'plain'
        ? `agent-${kind}-plain`
        : `agent-${kind}-p${partition}`,
  );
}
