import { DestroyRef, Injectable, effect, inject, signal } from '@angular/core';
import type { JobDto, SourceBindingEvent, WindowResultDto } from '@loglens/contracts';
import { Subject } from 'rxjs';
import { ApiKeyStore } from './api-key.store';
import {
  ANOMALY_EVENT,
  BindingSubjects,
  JOB_EVENTS,
  LiveSubjects,
  isBindingEvent,
  isJob,
  isWindowResult,
  type LiveEvent,
  type LiveSubject,
} from './live-events';

export type LiveStatus = 'off' | 'connecting' | 'live' | 'reconnecting';

const EVENTS_URL = '/api/v1/events';
/** after the browser gave up (e.g. the gateway answered 401 or restarted), try again this often */
const RETRY_MS = 5000;
/** a change this tab made itself is not announced again when its event comes back */
const OWN_CHANGE_MS = 15_000;

/**
 * The gateway's server-sent events for the stored key: registry changes (deploys, rollbacks, fallbacks, validations,
 * alias moves) on `events`, and anomalous windows found by the streaming agents on `anomalies` — one connection for
 * both. EventSource cannot send headers, so the key travels as `?api_key=` (the gateway allows that on
 * this one route). Reconnects when the key changes and after the connection drops.
 */
@Injectable({ providedIn: 'root' })
export class LiveEventsService {
  private readonly keys = inject(ApiKeyStore);
  private source: EventSource | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
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
    const source = new EventSource(`${EVENTS_URL}?api_key=${encodeURIComponent(key)}`);
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
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.source?.close();
    this.source = null;
    this._status.set('off');
  }
}
