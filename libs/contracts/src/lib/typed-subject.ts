/**
 * Typed subjects: at runtime a subject is the plain string NATS sees; at compile time it also carries what travels
 * on it (a phantom brand that never exists as a value). `RpcClient.call(subject, request)`, `scatterGather`,
 * `EventBus.publish/subscribe` and `@HandlesRpc(subject)` read the brand, so a request, reply, event or handler that
 * does not match its subject fails to compile on both ends.
 *
 *   listModels: rpc<ListModelsRequest, ListModelsReply>()('registry.model.list.v1')
 *   versionDeployed: event<VersionDeployedEvent>()('registry.events.version-deployed.v1')
 *
 * (`rpc<Req, Rep>()` is curried so the message types are written and the subject literal is still inferred.)
 */

declare const PROTOCOL: unique symbol;

/** What a request/reply subject carries (also scatter-gather subjects: every replier answers with `reply`). */
export interface RpcShape<Req, Rep, S extends string = string> {
  readonly kind: 'rpc';
  readonly subject: S;
  readonly request: Req;
  readonly reply: Rep;
}

/** What a broadcast or JetStream subject carries. */
export interface EventShape<P, S extends string = string> {
  readonly kind: 'event';
  readonly subject: S;
  readonly payload: P;
}

export type SubjectShape = RpcShape<unknown, unknown> | EventShape<unknown>;

/** A subject string that carries its shape at compile time. */
export type TypedSubject<S extends string, Sh extends SubjectShape> = S & { readonly [PROTOCOL]: Sh };

/** Any request/reply subject whose request is `Req` and reply `Rep` (namespaced or not). */
export type RpcSubject<Req = unknown, Rep = unknown> = string & { readonly [PROTOCOL]: RpcShape<Req, Rep> };
/** Any event subject carrying `P`. */
export type EventSubject<P = unknown> = string & { readonly [PROTOCOL]: EventShape<P> };

/** The request type of an rpc subject (a union of subjects gives the union of their requests). */
export type RequestOf<S> = S extends { readonly [PROTOCOL]: RpcShape<infer Req, unknown> } ? Req : never;
/** The reply type of an rpc subject. */
export type ReplyOf<S> = S extends { readonly [PROTOCOL]: RpcShape<unknown, infer Rep> } ? Rep : never;
/** The payload type of an event subject. */
export type PayloadOf<S> = S extends { readonly [PROTOCOL]: EventShape<infer P> } ? P : never;

/** The same brand on another string (a subject moved to another namespace, or with a prefix). */
export type Rebrand<S, To extends string = string> = S extends { readonly [PROTOCOL]: infer Sh } ? To & { readonly [PROTOCOL]: Sh } : To;

/** The bare subject a typed subject was declared with; the string itself for a plain subject. */
export type BareSubject<S> = S extends { readonly [PROTOCOL]: { readonly subject: infer B extends string } } ? B : S;

/** A request/reply subject: `rpc<Req, Rep>()('registry.model.list.v1')`. */
export function rpc<Req, Rep>() {
  return <const S extends string>(subject: S): TypedSubject<S, RpcShape<Req, Rep, S>> => subject as TypedSubject<S, RpcShape<Req, Rep, S>>;
}

/** A broadcast / JetStream subject: `event<VersionDeployedEvent>()('registry.events.version-deployed.v1')`. */
export function event<P>() {
  return <const S extends string>(subject: S): TypedSubject<S, EventShape<P, S>> => subject as TypedSubject<S, EventShape<P, S>>;
}
