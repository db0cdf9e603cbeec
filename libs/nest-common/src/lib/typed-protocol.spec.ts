/**
 * The typed protocol, checked by the compiler: this file is part of `nx typecheck nest-common` (tsc over src/**),
 * and every `@ts-expect-error` line below must fail to compile — if a subject lost its types, the directive itself
 * would be reported as unused and typecheck would fail. The jest part checks the runtime side: typed subjects are the
 * plain strings NATS sees, and @HandlesRpc registers the same message pattern as @MessagePattern.
 */
import 'reflect-metadata';
import { Controller } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { Payload } from '@nestjs/microservices';
import type { NatsConnection } from 'nats';
import {
  AgentSubjects,
  AuthSubjects,
  GetJobRequest,
  HealthSubjects,
  InferenceSubjects,
  ListJobsRequest,
  RegistrySubjects,
  VersionDeployedEvent,
  VersionLifecycleEvent,
  event,
  inNamespace,
  namespaced,
  rpc,
  type DeployVersionReply,
  type HealthPingReply,
  type JobDto,
  type ListJobsReply,
  type ModelVersionDto,
  type PredictReply,
  type ReplyOf,
  type RequestOf,
} from '@loglens/contracts';
import { HandlesRpc } from './handles-rpc';
import type { EventBus } from './event-bus';
import type { RpcClient } from './rpc-client';
import { scatterGather } from './scatter-gather';

/** `true` only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

// Subjects carry their types, through namespaced() and inNamespace().
assertType<Equal<RequestOf<typeof RegistrySubjects.getJob>, GetJobRequest>>();
assertType<Equal<ReplyOf<typeof RegistrySubjects.getJob>, JobDto>>();
assertType<Equal<ReplyOf<ReturnType<typeof inNamespace<typeof RegistrySubjects.listJobs>>>, ListJobsReply>>();
assertType<Equal<ReplyOf<typeof AgentSubjects.analyzeWifi | typeof AgentSubjects.analyzeBase>, ReplyOf<typeof AgentSubjects.analyzeBase>>>();
// @ts-expect-error -- an event subject has no request type
assertType<Equal<RequestOf<typeof RegistrySubjects.versionDeployed>, VersionDeployedEvent>>();

/** Compiled, never run: the calls a sender and a receiver may and may not write. */
export async function senders(rpcClient: RpcClient, bus: EventBus, nc: NatsConnection): Promise<void> {
  // the reply type comes from the subject: no annotation, no cast
  const job = await rpcClient.call(RegistrySubjects.getJob, { id: '00000000-0000-4000-8000-000000000000' });
  assertType<Equal<typeof job, JobDto>>();
  void job;
  const version: ModelVersionDto = await rpcClient.call(RegistrySubjects.getVersion, { ref: 'hdfs@1' });
  const scores: PredictReply = await rpcClient.call(InferenceSubjects.predict, { model: 'hdfs', rows: [[1, 2, 3]] });
  void [version, scores];

  // @ts-expect-error -- a request field of the wrong type (ref is a string)
  await rpcClient.call(RegistrySubjects.getVersion, { ref: 42 });
  // @ts-expect-error -- a required request field is missing (actor)
  await rpcClient.call(RegistrySubjects.deployVersion, { ref: 'hdfs@2' });
  // @ts-expect-error -- a field the request does not have
  await rpcClient.call(RegistrySubjects.getJob, { id: 'x', model: 'hdfs' });
  // @ts-expect-error -- the reply is not what the caller expects (getVersion answers a ModelVersionDto)
  const wrongReply: DeployVersionReply = await rpcClient.call(RegistrySubjects.getVersion, { ref: 'hdfs@1' });
  // @ts-expect-error -- an event subject is not a request/reply subject
  await rpcClient.call(RegistrySubjects.versionDeployed, {});
  // @ts-expect-error -- a plain string subject carries no types
  await rpcClient.call('loglens.registry.model.list.v1', {});
  void wrongReply;

  const pings = await scatterGather(nc, HealthSubjects.ping, 300);
  assertType<Equal<typeof pings, HealthPingReply[]>>();
  void pings;
  // @ts-expect-error -- the replies are HealthPingReply, not JobDto
  const wrongPings: JobDto[] = await scatterGather(nc, HealthSubjects.ping, 300);
  void wrongPings;

  bus.publish(AuthSubjects.keysChanged, { change: 'created', id: 'k', at: new Date().toISOString() });
  // @ts-expect-error -- an event of another subject's type
  bus.publish(AuthSubjects.keysChanged, { model: 'hdfs', ref: 'hdfs@1', actor: 'a', at: '' });
  // @ts-expect-error -- a request/reply subject is not an event subject
  bus.publish(RegistrySubjects.listModels, {});
  bus.subscribe(RegistrySubjects.versionDeployed, VersionDeployedEvent, (e) => void e.serving.ref);
  // @ts-expect-error -- the validating class must be the subject's payload class
  bus.subscribe(RegistrySubjects.versionDeployed, VersionLifecycleEvent, () => undefined);
}

@Controller()
class JobsHandlers {
  @HandlesRpc(RegistrySubjects.getJob)
  get(@Payload() req: GetJobRequest): Promise<JobDto> {
    return Promise.reject(new Error(req.id));
  }

  /** a synchronous reply is fine too */
  @HandlesRpc(RegistrySubjects.listJobs)
  list(@Payload() _req: ListJobsRequest): ListJobsReply {
    return { jobs: [] };
  }
}

/** Handlers that must not compile (declared, never registered). */
export class WrongHandlers {
  // @ts-expect-error -- the handler takes another subject's request (getJob needs an id, listJobs sends none)
  @HandlesRpc(RegistrySubjects.listJobs)
  wrongRequest(@Payload() req: GetJobRequest): Promise<ListJobsReply> {
    return Promise.reject(new Error(req.id));
  }

  // @ts-expect-error -- the handler's reply is not the subject's reply
  @HandlesRpc(RegistrySubjects.getJob)
  wrongReply(@Payload() _req: GetJobRequest): Promise<ListJobsReply> {
    return Promise.resolve({ jobs: [] });
  }

  // @ts-expect-error -- a request field of the wrong type
  @HandlesRpc(RegistrySubjects.getJob)
  wrongField(@Payload() _req: { id: number }): Promise<JobDto> {
    return Promise.reject(new Error('never'));
  }

  // @ts-expect-error -- an event subject has no handler reply
  @HandlesRpc(RegistrySubjects.versionDeployed)
  notRpc(): void {
    return undefined;
  }
}

describe('typed protocol', () => {
  it('a typed subject is the plain namespaced string at runtime, also through inNamespace', () => {
    const local = namespaced({ ping: rpc<{ n: number }, { n: number }>()('spec.ping.v1'), tick: event<{ at: string }>()('spec.tick.v1') }, 'ns');
    expect(local).toEqual({ ping: 'ns.spec.ping.v1', tick: 'ns.spec.tick.v1' });
    expect(typeof RegistrySubjects.getJob).toBe('string');
    expect(inNamespace(RegistrySubjects.getJob, 'b')).toBe('b.registry.job.get.v1');
  });

  it('@HandlesRpc registers the subject as the message pattern, as @MessagePattern does', () => {
    expect(Reflect.getMetadata(PATTERN_METADATA, JobsHandlers.prototype.get)).toEqual([RegistrySubjects.getJob]);
    expect(Reflect.getMetadata(PATTERN_METADATA, JobsHandlers.prototype.list)).toEqual([RegistrySubjects.listJobs]);
  });
});
