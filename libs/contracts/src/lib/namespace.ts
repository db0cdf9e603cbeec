import type { BareSubject, Rebrand } from './typed-subject';

/**
 * The namespace every NATS subject, JetStream stream, durable consumer, object store and KV bucket carries, so two
 * LogLens stacks can share one nats-server without answering each other. It is read once, when this module loads,
 * from `LOGLENS_NAMESPACE` (default `loglens`): the subject maps are constants that decorators read at import time.
 * In the browser (the admin console imports the contracts) there is no `process`: the default applies, which only
 * matters for the SSE event names, and those are sent without the namespace.
 */
export const DEFAULT_NAMESPACE = 'loglens';

/** One subject token that is also a valid stream / bucket name part. */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

function readNamespace(): string {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const ns = env?.['LOGLENS_NAMESPACE'] || DEFAULT_NAMESPACE;
  if (!NAMESPACE_PATTERN.test(ns)) {
    throw new Error(`LOGLENS_NAMESPACE must be 1-32 letters, digits, "_" or "-" (got ${JSON.stringify(ns)})`);
  }
  return ns;
}

/** This process's namespace. */
export const NAMESPACE: string = readNamespace();

/** A subject of a map after `namespaced()`: the bare subject as a suffix (the IDE shows it), its type brand kept. */
export type Namespaced<S extends string> = Rebrand<S, `${string}${BareSubject<S>}`>;

/**
 * Prefixes every subject of a map with the namespace: the one place a subject map gets it. A new map (a new app's
 * subjects) is written bare and wrapped the same way: `export const TrainerSubjects = namespaced({ … })`.
 * The type keeps the bare subject as a suffix so the IDE still shows what each one is, and keeps each typed subject's
 * request/reply or event type (see typed-subject.ts).
 */
export function namespaced<const T extends Record<string, string>>(subjects: T, ns: string = NAMESPACE): { readonly [K in keyof T]: Namespaced<T[K]> } {
  const out: Record<string, string> = {};
  for (const [key, subject] of Object.entries(subjects)) out[key] = `${ns}.${subject}`;
  return Object.freeze(out) as { readonly [K in keyof T]: Namespaced<T[K]> };
}

/** `loglens.registry.events.x` → `registry.events.x`; a subject outside the namespace is returned unchanged. */
export function withoutNamespace(subject: string, ns: string = NAMESPACE): string {
  return subject.startsWith(`${ns}.`) ? subject.slice(ns.length + 1) : subject;
}

/** The bare subject, typed as the literal it was declared with (`loglens.registry.events.x` → `registry.events.x`). */
export function bareSubject<S extends string>(subject: S, ns: string = NAMESPACE): BareSubject<S> {
  return withoutNamespace(subject, ns) as BareSubject<S>;
}

/** The same subject in another namespace (`loglens.logs.>` → `a.logs.>`): permission tables and cross-stack tests. Keeps the type brand. */
export function inNamespace<S extends string>(subject: S, ns: string): Rebrand<S> {
  return `${ns}.${withoutNamespace(subject)}` as Rebrand<S>;
}

/**
 * A JetStream stream, durable consumer, object store or KV bucket name in the namespace (`LOGS` → `loglens-LOGS`).
 * Names allow no `.`, so the separator is `-`. Every JetStream name goes through here.
 */
export function jetStreamName(name: string, ns: string = NAMESPACE): string {
  return `${ns}-${name}`;
}

/**
 * The reply-inbox prefix of one NATS principal (a service or a tool's credential). Each principal may subscribe only
 * to its own inboxes, so no credential can read the replies sent to another (an artifact chunk sent to a worker).
 */
export function inboxPrefix(principal: string, ns: string = NAMESPACE): string {
  return `_INBOX_${ns}_${principal}`.replace(/[^A-Za-z0-9_-]/g, '_');
}
