import { DestroyRef, Injectable, effect, inject, signal } from '@angular/core';
import { EVENTS_PATH, routes } from '@loglens/client';
import type { IssuedToken, JobDto, SourceBindingEvent, WindowResultDto } from '@loglens/contracts';
import { Subject } from 'rxjs';
import { ApiKeyStore } from './api-key.store';
import {
  ANOMALY_EVENT,
  BindingSubjects,
  EXPERIMENT_EVENT,
  JOB_EVENTS,
  LiveSubjects,
  DRIFT_EVENTS,
  isDriftEvent,
  isBindingEvent,
  isExperimentEvent,
  isJob,
  isWindowResult,
  type LiveEvent,
  type LiveSubject,
} from './live-events';

export type LiveStatus = 'off' | 'connecting' | 'live' | 'reconnecting';

const EVENTS_URL = EVENTS_PATH;
/** a fresh token and connection this long before the current token expires */
const REFRESH_BEFORE_MS = 30_000;
/** after the browser gave up (e.g. the gateway answered 401 or restarted), try again this often */
const RETRY_MS = 5000;
/** a change this tab made itself is not announced again when its event comes back */
const OWN_CHANGE_MS = 15_000;

/**
 * The gateway's server-sent events for the stored key: registry changes (deploys, rollbacks, fallbacks, validations,
 * alias moves) on `events`, and anomalous windows found by the streaming agents on `anomalies` — one connection for
 * both. EventSource cannot send headers and a key must never sit in a URL, so the key buys a short-lived token
 * (POST /api/v1/auth/tokens) that travels as `?token=`; the stream is reopened with a fresh token before the token
 * expires, so the browser's own reconnects never present an expired one. Reconnects when the key changes and after
 * the connection drops.
 */
@Injectable({ providedIn: 'root' })
export class LiveEventsService {
  private readonly keys = inject(ApiKeyStore);
  private source: EventSource | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** bumps on every (re)connect: a token that arrives for an older one is dropped */
  private attempt = 0;
  private readonly ownChanges = new Map<string, number>();

  private readonly _status = signal<LiveStatus>('off');
  readonly status = this._status.asReadonly();
  private readonly _events = new Subject<LiveEvent>();
  /** every registry event, as it arrives */
  readonly events = this._events.asObservable();
  private readonly _anomalies = new Subject<WindowResultDto>();
  /**
   * every `anomalies.detected` event, as it arrives. Kept apart from `events`: pages reload on registry events, and
   * an incident's stream of anomalies must not reload them.
   */
  readonly anomalies = this._anomalies.asObservable();
  private readonly _jobs = new Subject<JobDto>();
  /** every train-job change (queued, running, progress, succeeded, failed): the job as it is now */
  readonly jobs = this._jobs.asObservable();
  private readonly _bindings = new Subject<SourceBindingEvent>();
  /** every source binding change (bound or unbound) */
  readonly bindings = this._bindings.asObservable();
  private readonly _experiments = new Subject<{ experiment: { id: string; model: string; state: string }; action: string; at: string }>();
  /** every experiment change (start, step, hold, pause, resume, promote, rollback, abort) */
  readonly experiments = this._experiments.asObservable();

  private readonly _drift = new Subject<{ model: string; version: string; drifted: string[]; at: string }>();
  /** every drift crossing (drift-detected / drift-cleared) of a version */
  readonly drift = this._drift.asObservable();

  constructor() {
    effect(() => this.connect(this.keys.key()));
    inject(DestroyRef).onDestroy(() => this.disconnect());
  }

  /** Marks a change this tab is about to make to `model`, so its echo is not announced as made elsewhere. */
  noteOwnChange(model: string): void {
    this.ownChanges.set(model, Date.now());
  }

  isOwnChange(model: string): boolean {
    const at = this.ownChanges.get(model);
    return at !== undefined && Date.now() - at < OWN_CHANGE_MS;
  }

  private connect(key: string): void {
    this.disconnect();
    if (!key || typeof EventSource === 'undefined') return;
    this._status.set('connecting');
    const attempt = ++this.attempt;
    fetchToken(key).then(
      ({ token, expiresAt }) => {
        if (attempt !== this.attempt) return;
        this.open(token);
        const refreshIn = Math.max(1000, Date.parse(expiresAt) - Date.now() - REFRESH_BEFORE_MS);
        this.refreshTimer = setTimeout(() => this.connect(this.keys.key()), refreshIn);
      },
      () => {
        if (attempt !== this.attempt) return;
        this._status.set('reconnecting');
        this.retryTimer = setTimeout(() => this.connect(this.keys.key()), RETRY_MS);
      },
    );
  }

  private open(token: string): void {
    const source = new EventSource(`${EVENTS_URL}?token=${encodeURIComponent(token)}`);
    this.source = source;
    source.onopen = () => this._status.set('live');
    source.onerror = () => {
      if (this.source !== source) return;
      // CONNECTING: the browser retries by itself; CLOSED: it gave up (non-SSE answer such as a 401), so we retry
      if (source.readyState === EventSource.CLOSED) {
        this._status.set('reconnecting');
        this.retryTimer = setTimeout(() => this.connect(this.keys.key()), RETRY_MS);
      } else {
        this._status.set('reconnecting');
      }
    };
    for (const type of Object.values(LiveSubjects)) {
      source.addEventListener(type, (msg) => this.relay(type, msg as MessageEvent<string>));
    }
    source.addEventListener(ANOMALY_EVENT, (msg) => this.relayAnomaly(msg as MessageEvent<string>));
    for (const type of JOB_EVENTS) {
      source.addEventListener(type, (msg) => {
        const data = this.parse(msg as MessageEvent<string>) as { job?: unknown } | null;
        if (isJob(data?.job)) this._jobs.next(data.job);
      });
    }
    for (const type of Object.values(BindingSubjects)) {
      source.addEventListener(type, (msg) => {
        const data = this.parse(msg as MessageEvent<string>);
        if (isBindingEvent(data)) this._bindings.next(data);
      });
    }
    for (const type of DRIFT_EVENTS) {
      source.addEventListener(type, (msg) => {
        const data = this.parse(msg as MessageEvent<string>);
        if (isDriftEvent(data)) this._drift.next(data);
      });
    }
    source.addEventListener(EXPERIMENT_EVENT, (msg) => {
      const data = this.parse(msg as MessageEvent<string>);
      if (isExperimentEvent(data)) this._experiments.next(data);
    });
    // the heartbeat proves the connection is alive even when nothing changes
    source.addEventListener('heartbeat', () => this._status.set('live'));
  }

  private relay(type: LiveSubject, msg: MessageEvent<string>): void {
    this._status.set('live');
    try {
      this._events.next({ type, data: JSON.parse(msg.data) } as LiveEvent);
    } catch {
      // a malformed event is skipped; the next reload shows the truth anyway
    }
  }

  private relayAnomaly(msg: MessageEvent<string>): void {
    const data = this.parse(msg);
    if (isWindowResult(data)) this._anomalies.next(data);
  }

  /** The event's JSON body, or null when malformed (skipped: the next reload shows the truth anyway). */
  private parse(msg: MessageEvent<string>): unknown {
    this._status.set('live');
    try {
      return JSON.parse(msg.data) as unknown;
    } catch {
      return null;
    }
  }

  private disconnect(): void {
    this.attempt += 1;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.retryTimer = null;
    this.refreshTimer = null;
    this.source?.close();
    this.source = null;
    this._status.set('off');
  }
}

/**
 * A short-lived token for the stream's URL, bought with the key (sent as a header, never in a URL). Plain fetch, not
 * the HttpClient: the key is the one being connected (it may not be stored yet) and no interceptor should touch it.
 */
async function fetchToken(key: string): Promise<IssuedToken> {
  const { method, path } = routes.auth.token();
  const res = await fetch(path, { method, headers: { 'x-api-key': key } });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
  return (await res.json()) as IssuedToken;
}
