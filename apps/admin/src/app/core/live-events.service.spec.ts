import { TestBed } from '@angular/core/testing';
import { API_KEY_STORAGE_KEY, ApiKeyStore } from './api-key.store';
import type { LiveEvent } from './live-events';
import { LiveEventsService } from './live-events.service';

/** Just enough of EventSource to drive the service: jsdom has none. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, Array<(e: MessageEvent<string>) => void>>();

  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }

  addEventListener(type: string, fn: (e: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }

  close(): void {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }

  emit(type: string, data: unknown): void {
    for (const fn of this.listeners.get(type) ?? [])
      fn({ data: JSON.stringify(data) } as MessageEvent<string>);
  }
}

/** Lets the token request (a fetch and its JSON) settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('LiveEventsService', () => {
  const original = (globalThis as { EventSource?: unknown }).EventSource;
  const originalFetch = globalThis.fetch;
  /** every token request: the key header it sent */
  let tokenRequests: Array<{ url: string; key: string | null }> = [];
  let tokenTtlMs = 5 * 60_000;

  beforeEach(() => {
    FakeEventSource.all = [];
    tokenRequests = [];
    tokenTtlMs = 5 * 60_000;
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    globalThis.fetch = (async (url: string, init: RequestInit) => {
      const key = new Headers(init.headers).get('x-api-key');
      tokenRequests.push({ url, key });
      const body = { token: `tok-${tokenRequests.length}/${key}`, expiresAt: new Date(Date.now() + tokenTtlMs).toISOString() };
      return { ok: true, status: 201, json: async () => body } as Response;
    }) as typeof fetch;
    localStorage.setItem(API_KEY_STORAGE_KEY, 'key operator/1');
  });

  afterEach(() => {
    (globalThis as { EventSource?: unknown }).EventSource = original;
    globalThis.fetch = originalFetch;
    localStorage.clear();
  });

  it('buys a token with the key (in a header) and subscribes with the token, never the key, in the URL', async () => {
    const live = TestBed.inject(LiveEventsService);
    TestBed.tick();
    await settle();
    const seen: LiveEvent[] = [];
    live.events.subscribe((e) => seen.push(e));

    expect(tokenRequests).toEqual([{ url: '/api/v1/auth/tokens', key: 'key operator/1' }]);
    const source = FakeEventSource.all[0];
    expect(source.url).toBe('/api/v1/events?token=tok-1%2Fkey%20operator%2F1');
    expect(source.url).not.toContain('api_key');
    expect(live.status()).toBe('connecting');
    source.onopen?.();
    expect(live.status()).toBe('live');

    const deployed = {
      model: 'iris',
      serving: { ref: 'iris@2', version: 2 },
      previousRef: 'iris@1',
      action: 'rollback',
      actor: 'operator:oper…',
      at: '2026-11-26T08:00:00Z',
    };
    source.emit('registry.events.version-deployed.v1', deployed);
    source.emit('registry.events.alias-changed.v1', { model: 'iris', ref: 'iris@2', actor: 'a', at: '' });
    expect(seen.map((e) => e.type)).toEqual([
      'registry.events.version-deployed.v1',
      'registry.events.alias-changed.v1',
    ]);
    expect(seen[0].data).toEqual(deployed);
  });

  it('relays anomalies.detected on the same connection, apart from the registry events', async () => {
    const live = TestBed.inject(LiveEventsService);
    TestBed.tick();
    await settle();
    const registry: LiveEvent[] = [];
    const anomalies: unknown[] = [];
    live.events.subscribe((e) => registry.push(e));
    live.anomalies.subscribe((w) => anomalies.push(w));

    const window = {
      id: 'w1',
      agent: 'wifi',
      source: 'site1',
      key: 'ap-2f-a',
      start: '2024-06-03T03:00:00Z',
      end: '2024-06-03T03:05:00Z',
      recordCount: 40,
      recordIds: [],
      anomalyScore: 0.9,
      isAnomaly: true,
      threshold: 0.5,
      modelVersion: 'wifi-anomaly@1',
      topFeatures: [],
      analyzedAt: '2024-06-03T03:05:01Z',
    };
    const source = FakeEventSource.all[0];
    source.emit('anomalies.detected', window);
    source.emit('anomalies.detected', { not: 'a window' });
    expect(FakeEventSource.all).toHaveLength(1);
    expect(anomalies).toEqual([window]);
    expect(registry).toEqual([]);
    expect(live.status()).toBe('live');
  });

  it('reconnects with the new key when the key changes, and stops without one', async () => {
    const live = TestBed.inject(LiveEventsService);
    TestBed.tick();
    await settle();
    TestBed.inject(ApiKeyStore).set('other-key-1');
    TestBed.tick();
    await settle();
    expect(FakeEventSource.all).toHaveLength(2);
    expect(FakeEventSource.all[0].closed).toBe(true);
    expect(tokenRequests[1].key).toBe('other-key-1');
    expect(FakeEventSource.all[1].url).toContain('token=tok-2');

    TestBed.inject(ApiKeyStore).clear();
    TestBed.tick();
    expect(FakeEventSource.all[1].closed).toBe(true);
    expect(live.status()).toBe('off');
  });

  it('tries again on its own, with a fresh token, after the browser gave up on the stream', async () => {
    jest.useFakeTimers();
    try {
      const live = TestBed.inject(LiveEventsService);
      TestBed.tick();
      await settle();
      const first = FakeEventSource.all[0];
      first.readyState = FakeEventSource.CLOSED;
      first.onerror?.();
      expect(live.status()).toBe('reconnecting');
      jest.advanceTimersByTime(5000);
      await settle();
      expect(FakeEventSource.all).toHaveLength(2);
      expect(FakeEventSource.all[1].url).toContain('token=tok-2');
    } finally {
      jest.useRealTimers();
    }
  });

  it('reopens the stream with a fresh token before the token expires', async () => {
    jest.useFakeTimers();
    try {
      tokenTtlMs = 5 * 60_000;
      TestBed.inject(LiveEventsService);
      TestBed.tick();
      await settle();
      expect(FakeEventSource.all).toHaveLength(1);
      jest.advanceTimersByTime(4 * 60_000);
      await settle();
      expect(FakeEventSource.all).toHaveLength(1);
      // 30 s before expiry: a new token, a new stream, the old one closed
      jest.advanceTimersByTime(31_000);
      await settle();
      expect(tokenRequests).toHaveLength(2);
      expect(FakeEventSource.all).toHaveLength(2);
      expect(FakeEventSource.all[0].closed).toBe(true);
      expect(FakeEventSource.all[1].url).toContain('token=tok-2');
    } finally {
      jest.useRealTimers();
    }
  });

  it('retries when the gateway refuses the key for a token', async () => {
    jest.useFakeTimers();
    try {
      globalThis.fetch = (async () => ({ ok: false, status: 401, json: async () => ({}) }) as Response) as typeof fetch;
      const live = TestBed.inject(LiveEventsService);
      TestBed.tick();
      await settle();
      expect(FakeEventSource.all).toHaveLength(0);
      expect(live.status()).toBe('reconnecting');
    } finally {
      jest.useRealTimers();
    }
  });

  it('remembers changes made in this tab for a while, so their echo is not announced', () => {
    const live = TestBed.inject(LiveEventsService);
    expect(live.isOwnChange('iris')).toBe(false);
    live.noteOwnChange('iris');
    expect(live.isOwnChange('iris')).toBe(true);
    expect(live.isOwnChange('other')).toBe(false);
  });
  it('relays train-job changes and source binding changes on their own streams, skipping malformed ones', async () => {
    const live = TestBed.inject(LiveEventsService);
    TestBed.tick();
    await settle();
    const jobs: string[] = [];
    const bindings: string[] = [];
    const registry: LiveEvent[] = [];
    live.jobs.subscribe((j) => jobs.push(`${j.id}:${j.state}:${j.progress.stage}`));
    live.bindings.subscribe((b) => bindings.push(`${b.source}→${b.binding?.model ?? 'none'}`));
    live.events.subscribe((e) => registry.push(e));
    const source = FakeEventSource.all[0];
    const job = { id: 'j1', model: 'app', state: 'running', progress: { stage: 'reading', done: 1, total: 9 } };
    source.emit('jobs.running', { job, at: 'now' });
    source.emit('jobs.progress', { job: { ...job, progress: { stage: 'training', done: 0, total: 9 } }, at: 'now' });
    source.emit('jobs.succeeded', { job: { ...job, state: 'succeeded' }, at: 'now' });
    source.emit('jobs.failed', { nothing: true });
    source.emit('registry.events.source-bound.v1', { source: 'myapp', binding: { model: 'app' }, previous: null });
    source.emit('registry.events.source-unbound.v1', { source: 'myapp', binding: null, previous: { model: 'app' } });
    source.emit('registry.events.source-bound.v1', { nope: 1 });
    expect(jobs).toEqual(['j1:running:reading', 'j1:running:training', 'j1:succeeded:reading']);
    expect(bindings).toEqual(['myapp→app', 'myapp→none']);
    // binding events carry no model: they must not reach pages that reload (and highlight) on registry events
    expect(registry).toEqual([]);
  });
});
