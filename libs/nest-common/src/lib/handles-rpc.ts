import { MessagePattern } from '@nestjs/microservices';
import type { ReplyOf, RequestOf, RpcSubject } from '@loglens/contracts';

/**
 * What a handler of `S` may look like: it takes the subject's request (its first parameter must accept it; Nest's
 * `@Payload()` validates it against the parameter's class at runtime) and answers the subject's reply, at once or as
 * a promise. More parameters (`@Ctx()`) are allowed.
 */
export type RpcHandler<S extends RpcSubject> = (request: RequestOf<S>, ...context: never[]) => ReplyOf<S> | Promise<ReplyOf<S>>;

/**
 * `@MessagePattern(subject)` with the subject's types: the decorated method's parameter and return type must match
 * the subject's request and reply (see typed-subject.ts in the contracts), or the handler does not compile.
 *
 *   @HandlesRpc(RegistrySubjects.getJob)
 *   get(@Payload() req: GetJobRequest): Promise<JobDto> { … }
 */
export function HandlesRpc<S extends RpcSubject>(subject: S) {
  const pattern = MessagePattern(subject);
  return <H extends RpcHandler<S>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): void => {
    pattern(target, key, descriptor);
  };
}
