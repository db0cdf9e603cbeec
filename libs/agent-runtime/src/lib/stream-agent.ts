import { AckPolicy, DeliverPolicy, headers, nanos, type JsMsg, type KV, type NatsConnection } from 'nats';
import { AnalysisSubjects, DeadLetterSubjects, DriftSubjects, JetStreamNames, LOG_BATCH_HEADER, MAX_DELIVERIES, sourceOfSubject, subjectToken, type AgentKind, type WindowResultDto } from '@loglens/contracts';
import { deadLetter, ensureAnalysisInfrastructure, RpcClient, storedRecordsOf } from '@loglens/nest-common';
import { LruMap } from '@loglens/log-parsing';
import { NO_EVICTIONS, addEvictions, type AnalysisPipeline, type ClosedWindow, type PipelineFactory, type StateEvictions } from './pipeline';
import { scoreGrouped } from './analyze';
import { toPipelineInput } from './record-input';
import { windowId } from './window-id';
import { RateMeter } from './rate-meter';
import { LiveProfiler } from '@loglens/drift';
import type { WindowScorer } from './window-scorer';
import { contextOf, contextWith, failSpan, inSpan, SpanKind, startSpan, traceHeaders, tracingEnabled, type Context } from '@loglens/tracing';

export interface StreamAgentOptions {
  kind: AgentKind;
  /** e.g. `logs.wifi.>` (one consumer; or give `consumers`) */
  filterSubject?: string;
  /** shared by every instance of the agent that reads the same subjects: they split them between them */
  durable?: string;
  /**
   * Several durable consumers read together, e.g. one per LOGS partition this instance owns (`agentConsumers()`):
   * each cycle fetches from all of them, so every partition advances.
   */
  consumers?: ReadonlyArray<{ durable: string; filterSubject: string }>;
  factory: PipelineFactory;
  scorer: WindowScorer;
  /**
   * The scorer of a source's windows (its bound model, else `scorer`), asked when the source's pipeline is built: a
   * pipeline and its scorer always belong to the same model, so a binding change never scores old-schema windows
   * with the new model.
   */
  scorerFor?: (source: string) => WindowScorer;
  /**
   * records held in open windows at most, the back-pressure bound (AGENT_MAX_IN_FLIGHT): no fetch while they are
   * this many. Also the consumer's max_ack_pending, which counts messages (a record batch is one).
   */
  maxInFlight: number;
  /** close every open window after this long without new records, the end of a replay (AGENT_IDLE_FLUSH_MS) */
  idleFlushMs: number;
  /** JetStream redelivers a record not acknowledged (or kept alive) within this long (AGENT_ACK_WAIT_MS) */
  ackWaitMs: number;
  fetchBatch?: number;
  /**
   * Sources with a pipeline in memory at most (AGENT_MAX_SOURCES, default 1,000): a new source past it publishes the
   * least recently active source's open windows, saves its templates to the KV bucket and drops it; its next record
   * builds it again from the saved state.
   */
  maxSources?: number;
  log?: (line: string) => void;
  /** AGENT_INSTANCE_INDEX: sent with every result (header `LogLens-Agent-Instance`), so one can tell who windowed it */
  instanceIndex?: number;
  /**
   * Drift profiling (docs/monitoring.md): every scored window is folded into its serving version's sketch of the
   * current `bucketMs` bucket (processing time), and closed buckets are published on DriftSubjects.profile with
   * `producer` naming this instance. Left out: no profiling.
   */
  drift?: { bucketMs: number; producer: string };
}

/** One cycle's pull: its messages, whether the stream holds more, and whether it was asked at all (not at the caps). */
interface Fetched {
  msgs: JsMsg[];
  more: boolean;
  asked: boolean;
}

/** A closed window on its way to the ANALYSIS stream. */
interface ClosedForPublish {
  source: string;
  window: ClosedWindow;
  names: readonly string[];
}

/** A LOGS message (one record or a batch) some of whose records are in open windows. */
interface PendingMessage {
  /** its latest delivery: the one to acknowledge */
  msg: JsMsg;
  /** its records still in open windows: acknowledged when none is left */
  recordsLeft: number;
}

/** A record in open windows. */
interface HeldRecord {
  of: PendingMessage;
  /** its message's stream sequence */
  seq: number;
  /** its place in a record batch; -1 for a one-record message */
  index: number;
  windowsLeft: number;
}

/** A record's id in results: its stream sequence, `<sequence>.<index>` within a batch. */
function recordId(r: HeldRecord | undefined): string {
  if (!r) return '0';
  return r.index < 0 ? String(r.seq) : `${r.seq}.${r.index}`;
}

export interface StreamAgentStats {
  records: number;
  windows: number;
  anomalies: number;
  pending: number;
  lastFlush: string | null;
  /** sources with a pipeline in memory */
  sources: number;
  /** per-key state held now, summed over the sources' pipelines */
  state: { openWindows: number; windowKeys: number; templates: number; trackedKeys: number };
  /** entries dropped to stay within the caps, since start */
  evictions: StateEvictions;
  /** drift profiling: buckets published, publishes that failed, buckets open now, buckets dropped to stay within the cap */
  drift?: { buckets: number; publishFailures: number; open: number; dropped: number };
  /** records (log lines) this process windowed per second, over the last 10 and 60 whole seconds */
  linesPerSecond: { last10s: number; last60s: number };
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The analysis cycle over JetStream: consume → parse → window → extract → score (batched) → publish → ack. A record
 * is acknowledged only once every window it is in has been published (and stored by the stream), so a crash at any
 * point means redelivery, never loss; window ids are deterministic and published with a message id, so a
 * redelivered window is stored once.
 */
export class StreamAgent {
  private readonly pipelines = new Map<string, AnalysisPipeline>();
  private readonly scorers = new Map<string, WindowScorer>();
  /** handle → record held in open windows */
  private readonly pending = new Map<number, HeldRecord>();
  /** closed windows a failed cycle could not score or store, tried again first in the next one */
  private readonly unpublished: ClosedForPublish[] = [];
  /** stream sequence → message whose records are held in open windows: a redelivery of one is not windowed again */
  private readonly held = new Map<number, PendingMessage>();
  private nextHandle = 1;
  /** per durable: records an earlier instance left un-acked, to take back in one ordered fetch */
  private readonly recovering = new Map<string, number>();
  private running = false;
  private loop?: Promise<void>;
  private kv?: KV;
  private lastRecordAt = Date.now();
  private lastSave = 0;
  private readonly counters = { records: 0, windows: 0, anomalies: 0, lastFlush: null as string | null };
  private readonly lines = new RateMeter();
  private readonly profiler?: LiveProfiler;
  /** stores results in the ANALYSIS stream through one reply inbox (acks matched by token, not a request each) */
  private readonly store: RpcClient;
  /** per source: lines per template id since its last fold into a profile (counted as records are windowed) */
  private readonly templateLines = new Map<string, Map<string, number>>();
  private readonly driftCounters = { buckets: 0, publishFailures: 0 };
  /** evictions of pipelines no longer in memory (the live ones report their own) */
  private droppedEvictions: StateEvictions = NO_EVICTIONS;

  constructor(
    private readonly nc: NatsConnection,
    private readonly opts: StreamAgentOptions,
  ) {
    this.savedState = new LruMap(opts.maxSources ?? 1000);
    this.store = new RpcClient(nc, 5000);
    if (opts.drift) this.profiler = new LiveProfiler(opts.drift.bucketMs);
  }

  /** The durable consumers this instance reads. */
  get consumers(): ReadonlyArray<{ durable: string; filterSubject: string }> {
    if (this.opts.consumers?.length) return this.opts.consumers;
    if (!this.opts.durable || !this.opts.filterSubject) throw new Error('a stream agent needs `consumers` or `durable` and `filterSubject`');
    return [{ durable: this.opts.durable, filterSubject: this.opts.filterSubject }];
  }

  async start(): Promise<void> {
    await ensureAnalysisInfrastructure(this.nc);
    const jsm = await this.nc.jetstreamManager();
    for (const { durable, filterSubject } of this.consumers) {
      const config = {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: filterSubject,
        ack_wait: nanos(this.ackWait),
        max_ack_pending: this.opts.maxInFlight,
        // a record that stalls or crashes the agent every time comes back at most this often, then is dead-lettered
        max_deliver: MAX_DELIVERIES,
      };
      try {
        await jsm.consumers.info(JetStreamNames.logs, durable);
        // settings may have changed since the consumer was made (an upgrade, another AGENT_ACK_WAIT_MS)
        await jsm.consumers.update(JetStreamNames.logs, durable, {
          ack_wait: config.ack_wait,
          max_ack_pending: config.max_ack_pending,
          max_deliver: config.max_deliver,
        });
      } catch {
        await jsm.consumers.add(JetStreamNames.logs, config).catch((e: Error) => {
          if (!/already in use|exists/i.test(e.message)) throw e;
        });
      }
    }
    this.kv = await this.nc.jetstream().views.kv(JetStreamNames.agentState, { history: 1 });
    await this.loadState();
    this.running = true;
    // waiting for an earlier instance's records happens in the background: the agent (its analyze API included)
    // is up meanwhile, only the stream consumption starts after the wait
    this.loop = (async () => {
      await this.awaitRedeliveries(jsm);
      if (this.running) await this.run();
    })();
  }

  /** Publishes nothing half-done: un-acked records are redelivered to the next instance. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.publishProfiles();
    await this.saveState(true);
  }

  stats(): StreamAgentStats {
    const state = { openWindows: 0, windowKeys: 0, templates: 0, trackedKeys: 0 };
    let evictions = this.droppedEvictions;
    for (const p of this.pipelines.values()) {
      const size = p.stateSize?.();
      if (!size) continue;
      state.openWindows += size.openWindows;
      state.windowKeys += size.windowKeys;
      state.templates += size.templates;
      state.trackedKeys += size.trackedKeys;
      evictions = addEvictions(evictions, size.evictions);
    }
    return {
      ...this.counters,
      pending: this.pending.size,
      sources: this.pipelines.size,
      state,
      evictions: { ...evictions, sources: this.sourceEvictions },
      linesPerSecond: this.lines.lastSeconds(),
      ...(this.profiler ? { drift: { ...this.driftCounters, open: this.profiler.size, dropped: this.profiler.dropped } } : {}),
    };
  }

  private sourceEvictions = 0;

  private get maxSources(): number {
    return this.opts.maxSources ?? 1000;
  }

  /**
   * Makes room for a new source: the least recently active one's windows are published (so its records can be
   * acknowledged), its templates saved, and its pipeline dropped. Also fetches a source's saved state from the KV
   * bucket when it is no longer held in memory.
   */
  private async prepareSource(source: string): Promise<void> {
    const live = this.pipelines.get(source);
    if (live) {
      // recency: the most recently active source is last
      this.pipelines.delete(source);
      this.pipelines.set(source, live);
      return;
    }
    while (this.pipelines.size >= this.maxSources) {
      const oldest = this.pipelines.keys().next().value as string;
      await this.publish('all', new Set([oldest]));
      const p = this.pipelines.get(oldest);
      if (p && this.kv) await this.kv.put(agentStateKey(this.opts.kind, oldest), encodeAgentState(oldest, p.snapshot()));
      this.dropPipelines([oldest]);
      this.sourceEvictions++;
    }
    if (!this.savedState.has(source) && this.kv) {
      const entry = await this.kv.get(agentStateKey(this.opts.kind, source)).catch(() => null);
      const saved = entry?.value.length ? decodeAgentState(entry.value, source) : null;
      // a source whose token another source shares (`a.b`, `a_b`) gets only its own state back
      if (saved && saved.source === source) this.savedState.set(source, saved.state);
    }
  }

  private async run(): Promise<void> {
    const js = this.nc.jetstream();
    const consumers = await Promise.all(this.consumers.map(async ({ durable }) => ({ durable, consumer: await js.consumers.get(JetStreamNames.logs, durable) })));
    // what the stream holds for each durable after the last message fetched from it (that message's `info.pending`);
    // unknown before the first fetch
    const left = new Map<string, number>();
    // one fetch per consumer (partition), together; right after a restart, one fetch takes back everything the earlier
    // instance held. A pull returns when it has all it asked for, or after 1 s: so it asks for no more than the stream
    // holds (a replay's last records would wait out the second) and no more than max_ack_pending lets the server
    // send (the pull would wait for acknowledgements this agent gives only after it returns)
    const fetchAll = async (perFetch: number): Promise<Fetched> => {
      let asked = false;
      const room = this.opts.maxInFlight - this.held.size;
      const batches = await Promise.all(
        consumers.map(async ({ durable, consumer }) => {
          const known = left.get(durable);
          // caught up (0) or not fetched yet: the whole batch, and the pull waits for what comes
          const max = Math.min(Math.max(perFetch, this.recovering.get(durable) ?? 0), room, known || Infinity);
          this.recovering.delete(durable);
          const got: JsMsg[] = [];
          if (max <= 0) return got;
          asked = true;
          for await (const msg of await consumer.fetch({ max_messages: max, expires: 1000 })) got.push(msg);
          left.set(durable, got.length > 0 ? got[got.length - 1].info.pending : 0);
          return got;
        }),
      );
      return { msgs: batches.flat(), more: consumers.some(({ durable }) => (left.get(durable) ?? 0) > 0), asked };
    };
    // caught up with records in open windows and their idle flush less than a pull's second away: wait for the flush
    // time and ask the stream whether anything came (a pull would hold the flush up to a second)
    const nextFetch = async (): Promise<Fetched> => {
      const dueIn = this.lastRecordAt + this.opts.idleFlushMs - Date.now();
      if (this.pending.size > 0 && dueIn < 1000 && consumers.every(({ durable }) => left.get(durable) === 0)) {
        if (dueIn > 0) await new Promise((r) => setTimeout(r, dueIn));
        const pending = await Promise.all(consumers.map(async ({ consumer }) => (await consumer.info()).num_pending));
        consumers.forEach(({ durable }, i) => left.set(durable, pending[i]));
        if (consumers.every(({ durable }) => left.get(durable) === 0)) return { msgs: [], more: false, asked: true };
      }
      return fetchAll(this.messagesPerFetch());
    };
    // the next cycle's records are fetched while this cycle's windows are scored and stored (the agent would otherwise
    // wait for the worker and the stream, then for the fetch); they are windowed only after this cycle's publish
    let prefetched: Promise<Fetched> | undefined;
    while (this.running) {
      try {
        const next = prefetched ?? nextFetch();
        prefetched = undefined;
        const { msgs, more, asked } = await next;
        // nothing asked: no partition to ask (more instances than partitions), or still at AGENT_MAX_IN_FLIGHT after
        // an earlier cycle could not store its windows (they are retried below)
        if (!asked) await new Promise((r) => setTimeout(r, 100));
        // windows need stream (time) order, and redeliveries come back in ack-deadline order: a crashed instance's
        // records, and those its last pull request took after it died, interleave otherwise (partitions hold
        // different sources, so merging them in stream order changes no window)
        msgs.sort((a, b) => a.seq - b.seq);
        // a binding or deploy being applied decides which model these records go to: wait for it
        if (this.holds.size > 0) await Promise.allSettled([...this.holds]);
        await this.switchFactory();
        const records = this.counters.records;
        for (const msg of msgs) await this.take(msg);
        if (msgs.length > 0) this.recordsPerMessage = Math.max(1, (this.counters.records - records) / msgs.length);
        const got = msgs.length;
        const now = Date.now();
        if (this.counters.records > records) this.lines.add(this.counters.records - records, now);
        if (got > 0) this.lastRecordAt = now;
        const idle = now - this.lastRecordAt >= this.opts.idleFlushMs;
        // more is waiting in the stream: taken at once (at AGENT_MAX_IN_FLIGHT, by the next cycle, once windows close)
        if (more && this.running && !this.atInFlightLimit()) {
          prefetched = fetchAll(this.messagesPerFetch());
          prefetched.catch(() => undefined);
        }
        await this.publish(idle ? 'all' : 'due');
        // still at AGENT_MAX_IN_FLIGHT with what was due closed: nothing can come in until windows close, so they close
        // now. These are the windows the idle flush would close after the agent stood still for AGENT_IDLE_FLUSH_MS
        // (a long replay used to stop that long at every limit it reached)
        if (!idle && this.atInFlightLimit()) await this.publish('all');
        this.publishProfiles(now);
        await this.switchFactory();
        this.keepAlive(now);
        await this.saveState(false);
      } catch (e) {
        this.opts.log?.(`analysis cycle failed, retrying: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    // stopping: records fetched ahead go back at once, to the next instance, not after their ack wait
    if (prefetched) for (const msg of (await prefetched.catch(() => ({ msgs: [] as JsMsg[] }))).msgs) msg.nak();
  }

  /**
   * records per message in the last cycle: 1 for one line per message, up to 500 for LogLens' record batches (the
   * first fetch assumes 50, so it takes 100 messages)
   */
  private recordsPerMessage = 50;

  /**
   * Messages to fetch per consumer this cycle: about `fetchBatch` × 10 records' worth (so a cycle of record batches is
   * not hundreds of thousands of records), at most `fetchBatch` messages, and none at AGENT_MAX_IN_FLIGHT.
   */
  private messagesPerFetch(): number {
    const fetchBatch = this.opts.fetchBatch ?? 500;
    if (this.atInFlightLimit()) return 0;
    return Math.max(1, Math.min(fetchBatch, Math.floor((fetchBatch * 10) / Math.max(1, this.recordsPerMessage))));
  }

  /** AGENT_MAX_IN_FLIGHT records held in open windows, or as many messages (the consumer's max_ack_pending) */
  private atInFlightLimit(): boolean {
    return this.pending.size >= this.opts.maxInFlight || this.held.size >= this.opts.maxInFlight;
  }

  private async take(msg: JsMsg): Promise<void> {
    if (msg.info.redeliveryCount >= MAX_DELIVERIES - 1) {
      // delivered this often without being acknowledged: it stalls or crashes whoever takes it
      this.opts.log?.(`record seq ${msg.seq} (${msg.subject}) came back ${msg.info.redeliveryCount} times: set aside in ${JetStreamNames.deadLetter}`);
      await deadLetter(this.nc, DeadLetterSubjects.logs, msg, `delivered ${msg.info.redeliveryCount + 1} times without being analysed`);
      return;
    }
    const holding = this.held.get(msg.seq);
    if (holding) {
      // JetStream sent it again (a cycle outlasted the ack wait): it is already in its windows; ack the latest delivery
      holding.msg = msg;
      return;
    }
    const records = storedRecordsOf(msg);
    if ('error' in records) {
      this.opts.log?.(`record batch seq ${msg.seq} (${msg.subject}) is malformed (${records.error}): set aside in ${JetStreamNames.deadLetter}`);
      await deadLetter(this.nc, DeadLetterSubjects.logs, msg, records.error);
      return;
    }
    const source = sourceOfSubject(msg.subject);
    // built (or brought back from the saved state) at the first record it can analyse: a message of bad records never
    // makes room for its source by evicting another
    let pipeline: AnalysisPipeline | undefined;
    // the record's own time (or its line's) places it; when it has neither, the time the stream received it
    const arrival = Math.floor(msg.info.timestampNanos / 1e6);
    const message: PendingMessage = { msg, recordsLeft: 0 };
    const batch = Boolean(msg.headers?.get(LOG_BATCH_HEADER));
    for (let i = 0; i < records.length; i++) {
      const input = toPipelineInput(records[i], source);
      this.counters.records++;
      // a record that cannot be analyzed is acknowledged with its message, not redelivered forever
      if ('error' in input) continue;
      input.source = source;
      input.arrival = arrival;
      if (!pipeline) {
        await this.prepareSource(source);
        pipeline = this.pipelineOf(source);
      }
      const handle = this.nextHandle++;
      const parsed = pipeline.add(handle, input);
      if (this.profiler && parsed.templateId !== null) this.countTemplateLine(source, parsed.templateId);
      if (parsed.windows === 0) continue;
      this.pending.set(handle, { of: message, seq: msg.seq, index: batch ? i : -1, windowsLeft: parsed.windows });
      message.recordsLeft++;
    }
    if (message.recordsLeft === 0) msg.ack();
    else this.held.set(msg.seq, message);
  }

  private countTemplateLine(source: string, templateId: string): void {
    let lines = this.templateLines.get(source);
    if (!lines) this.templateLines.set(source, (lines = new Map()));
    lines.set(templateId, (lines.get(templateId) ?? 0) + 1);
  }

  private async publish(which: 'due' | 'all', only?: ReadonlySet<string>): Promise<void> {
    // windows an earlier cycle closed but could not score or store (no worker answered, NATS away) go first
    const closed = only ? [] : this.unpublished.splice(0);
    for (const [source, p] of this.pipelines) {
      if (only && !only.has(source)) continue;
      for (const window of which === 'all' ? p.flushAll() : p.flushDue()) closed.push({ source, window, names: p.featureNames });
    }
    if (closed.length === 0) return;
    try {
      await this.scoreAndStore(closed);
    } catch (e) {
      // their records stay pending (kept alive, never acknowledged): the windows are tried again next cycle, with the
      // same ids, so a window stored before the failure is not stored twice (the stream drops the duplicate id)
      this.unpublished.push(...closed);
      throw e;
    }
  }

  private async scoreAndStore(closed: ClosedForPublish[]): Promise<void> {
    // each window continues the trace of its first record (its producer's request); scoring them together is one span
    // in the first window's trace, linked to the others
    const traces = tracingEnabled() ? closed.map(({ window }) => contextOf(this.pending.get(window.members[0])?.of.msg.headers)) : undefined;
    const scores = traces
      ? await inSpan('score windows', { parent: traces[0], links: traces, attributes: { 'loglens.windows': closed.length } }, () => this.scoreBySource(closed))
      : await this.scoreBySource(closed);
    await Promise.all(
      closed.map(async ({ source, window }, i) => {
        const s = scores[i];
        const span = traces
          ? startSpan('window', {
              kind: SpanKind.PRODUCER,
              parent: traces[i],
              attributes: { 'loglens.source': source, 'loglens.window_key': window.key, 'loglens.records': window.members.length, 'loglens.anomalous': s.isAnomaly, 'loglens.model_version': s.modelVersion ?? '' },
            })
          : undefined;
        const result: WindowResultDto = {
          id: windowId(this.opts.kind, source, window.key, window.start, window.end, this.firstRecordId(window.members)),
          agent: this.opts.kind,
          source,
          key: window.key,
          start: new Date(window.start).toISOString(),
          end: new Date(window.end).toISOString(),
          recordCount: window.members.length,
          recordIds: window.members.map((h) => recordId(this.pending.get(h))),
          anomalyScore: s.score,
          isAnomaly: s.isAnomaly,
          threshold: s.threshold,
          modelVersion: s.modelVersion,
          topFeatures: s.topFeatures,
          // left out of the JSON when there is none (JSON.stringify drops undefined), without a spread per window
          explanation: s.explanation,
          analyzedAt: new Date().toISOString(),
        };
        const body = encoder.encode(JSON.stringify(result));
        const token = subjectToken(source);
        const traceOf = span ? contextWith(span, traces?.[i]) : undefined;
        try {
          await this.store.store(`${AnalysisSubjects.results}.${token}`, body, { headers: this.resultHeaders(traceOf, result.id) });
          if (result.isAnomaly) {
            await this.store.store(`${AnalysisSubjects.anomalies}.${token}`, body, { headers: this.resultHeaders(traceOf, `anomaly-${result.id}`) });
            this.counters.anomalies++;
          }
          span?.end();
        } catch (e) {
          failSpan(span, e);
          throw e;
        }
      }),
    );
    // only now, with every result stored by the stream, may the records go
    for (const { window } of closed) {
      for (const h of window.members) {
        const r = this.pending.get(h);
        if (!r || --r.windowsLeft > 0) continue;
        this.pending.delete(h);
        if (--r.of.recordsLeft > 0) continue;
        r.of.msg.ack();
        this.held.delete(r.of.msg.seq);
      }
    }
    this.counters.windows += closed.length;
    this.counters.lastFlush = new Date().toISOString();
    if (this.profiler) await this.profile(this.profiler, closed, scores);
  }

  /** The id of a window's first record in stream order: with the window's key and range, what makes its id unique. */
  private firstRecordId(members: readonly number[]): string {
    let first: HeldRecord | undefined;
    for (const h of members) {
      const r = this.pending.get(h);
      if (r && (!first || r.seq < first.seq || (r.seq === first.seq && r.index < first.index))) first = r;
    }
    return recordId(first);
  }

  /**
   * The headers of a stored result: its message id (the stream stores a redelivered window's result once), the agent
   * that made it, and the window's trace when tracing is on.
   */
  private resultHeaders(trace: Context | undefined, msgID: string) {
    const h = agentHeaders(this.opts.kind, this.opts.instanceIndex);
    h.set('Nats-Msg-Id', msgID);
    return trace ? (traceHeaders(h, trace) ?? h) : h;
  }

  /**
   * Folds the scored windows into their version's current bucket, and each source's template lines since its last
   * fold into the version that scored its latest window. Windows of versions without a reference profile are collected
   * into their reference window (the reference is looked up once per version and cached; a missing one is asked again
   * every REFERENCE_RECHECK_MS).
   */
  private async profile(profiler: LiveProfiler, closed: ClosedForPublish[], scores: Awaited<ReturnType<typeof scoreGrouped>>): Promise<void> {
    const now = Date.now();
    const versionOfSource = new Map<string, string | null>();
    for (let i = 0; i < closed.length; i++) {
      const s = scores[i];
      const { source, window, names } = closed[i];
      versionOfSource.set(source, s.modelVersion);
      if (!s.modelVersion) continue;
      const reference = await (this.scorers.get(source) ?? this.opts.scorer).referenceOf(s.modelVersion, now);
      if (reference) profiler.add(s.modelVersion, reference, { at: now, row: window.features, featureNames: names, score: s.score, flagged: s.isAnomaly });
      // no reference profile (an uploaded model): the window goes to the version's reference window instead, which the
      // registry freezes into its reference once DRIFT_REFERENCE_WINDOWS are in (docs/monitoring.md)
      else profiler.collect(s.modelVersion, now, names, window.features, s.score, s.isAnomaly);
    }
    for (const [source, version] of versionOfSource) {
      const lines = this.templateLines.get(source);
      this.templateLines.delete(source);
      if (!lines?.size || !version) continue;
      const reference = await (this.scorers.get(source) ?? this.opts.scorer).referenceOf(version);
      const pipeline = this.pipelines.get(source);
      const texts = [...lines].map(([id, n]) => [pipeline?.resolveTemplate?.(id)?.template ?? id, n] as const);
      profiler.addLines(version, reference, now, source, texts);
    }
  }

  /**
   * Publishes the closed profile buckets (all of them when `now` is omitted, at stop). Core NATS, fire and forget:
   * a bucket lost while no registry listens is a lost minute of one instance, which the merged windows (1 h and more)
   * absorb; it never holds up the analysis of records.
   */
  private publishProfiles(now?: number): void {
    if (!this.profiler || !this.opts.drift) return;
    for (const b of this.profiler.drain(now)) {
      try {
        // reference-window samples are rows of their own per producer, apart from profiled buckets of the same second
        const producer = b.sample ? `${this.opts.drift.producer}#sample` : this.opts.drift.producer;
        this.nc.publish(DriftSubjects.profile, encoder.encode(JSON.stringify({ ...b, producer })));
        this.driftCounters.buckets++;
      } catch (e) {
        this.driftCounters.publishFailures++;
        this.opts.log?.(`drift profile of ${b.modelVersion} could not be published: ${(e as Error).message}`);
      }
    }
  }

  /** Scores each source's windows with the scorer its pipeline was built with. */
  private async scoreBySource(closed: ClosedForPublish[]): Promise<Awaited<ReturnType<typeof scoreGrouped>>> {
    const groups = new Map<WindowScorer, number[]>();
    closed.forEach((c, i) => {
      const scorer = this.scorers.get(c.source) ?? this.opts.scorer;
      const group = groups.get(scorer);
      if (group) group.push(i);
      else groups.set(scorer, [i]);
    });
    const out = new Array<Awaited<ReturnType<typeof scoreGrouped>>[number]>(closed.length);
    for (const [scorer, indexes] of groups) {
      const scored = await scoreGrouped(scorer, indexes.map((i) => closed[i]));
      indexes.forEach((i, k) => (out[i] = scored[k]));
    }
    return out;
  }

  private get ackWait(): number {
    return this.opts.ackWaitMs;
  }

  /**
   * Records a crashed instance held are redelivered only once their ack wait runs out. Starting to consume before
   * then would window newer records first and the redelivered ones late; waiting once lets them come first, so the
   * rebuilt windows are the ones the crashed instance had open (same ids, stored once).
   */
  private async awaitRedeliveries(jsm: Awaited<ReturnType<NatsConnection['jetstreamManager']>>): Promise<void> {
    let pending = 0;
    for (const { durable } of this.consumers) {
      const info = await jsm.consumers.info(JetStreamNames.logs, durable);
      if (info.num_ack_pending > 0) this.recovering.set(durable, info.num_ack_pending);
      pending += info.num_ack_pending;
    }
    if (pending === 0) return;
    this.opts.log?.(`${pending} records are still pending from an earlier instance: waiting ${this.ackWait} ms for their redelivery`);
    const until = Date.now() + this.ackWait + 250;
    while (this.running && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
  }

  /**
   * Records waiting in long windows tell JetStream they are still being worked on, so they are not redelivered: every
   * third of the ack wait, all at once (one pass over the held messages, not one per analysis cycle).
   */
  private keepAlive(now: number): void {
    if (now - this.lastKeepAlive < this.ackWait / 3) return;
    this.lastKeepAlive = now;
    for (const m of this.held.values()) m.msg.working();
  }

  private lastKeepAlive = Date.now();

  /**
   * Builds pipelines with a new factory from now on (e.g. the model's feature schema changed with a deploy): open
   * windows are published first, so no record is lost in the switch.
   */
  replaceFactory(factory: PipelineFactory): void {
    this.nextFactory = factory;
  }

  private nextFactory?: PipelineFactory;
  private readonly rebuildSources = new Set<string>();

  /**
   * Rebuilds only these sources' pipelines (their binding changed, or their bound model was deployed): their open
   * windows are published with the model they were built for, then the next record builds the pipeline anew.
   */
  rebuild(sources: Iterable<string>): void {
    for (const s of sources) this.rebuildSources.add(s);
  }

  private readonly holds = new Set<Promise<unknown>>();

  /**
   * Records fetched while `change` is pending wait for it before they are windowed: a binding event must be applied
   * (its model looked up) before the records sent after it, or they would be scored by the model it replaced.
   */
  holdUntil(change: Promise<unknown>): void {
    const p = change.finally(() => this.holds.delete(p));
    this.holds.add(p);
  }

  /** Applied between cycles, so it never races a publish. */
  private async switchFactory(): Promise<void> {
    if (this.nextFactory) {
      await this.publish('all');
      this.dropPipelines([...this.pipelines.keys()]);
      this.opts.factory = this.nextFactory;
      this.nextFactory = undefined;
    }
    if (this.rebuildSources.size > 0) {
      const sources = new Set(this.rebuildSources);
      this.rebuildSources.clear();
      await this.publish('all', sources);
      this.dropPipelines([...sources]);
    }
  }

  /** Forgets pipelines, keeping their template state for the ones built next (template ids stay stable). */
  private dropPipelines(sources: string[]): void {
    for (const source of sources) {
      const p = this.pipelines.get(source);
      if (p) {
        this.savedState.set(source, p.snapshot());
        const size = p.stateSize?.();
        if (size) this.droppedEvictions = addEvictions(this.droppedEvictions, size.evictions);
      }
      this.pipelines.delete(source);
      this.scorers.delete(source);
    }
  }

  private pipelineOf(source: string): AnalysisPipeline {
    let p = this.pipelines.get(source);
    if (!p) {
      p = this.opts.factory(source, this.savedState.get(source));
      this.pipelines.set(source, p);
      if (this.opts.scorerFor) this.scorers.set(source, this.opts.scorerFor(source));
    }
    return p;
  }

  /** template state of sources not in memory (capped like the pipelines; the KV bucket keeps every source's) */
  private readonly savedState: LruMap<string, unknown>;

  /** Loads the template state of every source this agent kind has seen. */
  private async loadState(): Promise<void> {
    const kv = this.kv ?? (await this.nc.jetstream().views.kv(JetStreamNames.agentState, { history: 1 }));
    const status = await kv.status();
    // the keys from the bucket's stream (its subjects): `kv.keys()` (an ordered consumer) was seen to stop after the
    // first key when the bucket held keys of other sources, and those sources lost their templates on a restart
    const prefix = `$KV.${status.bucket}.`;
    const jsm = await this.nc.jetstreamManager();
    const info = await jsm.streams.info(status.streamInfo.config.name, { subjects_filter: `${prefix}${this.opts.kind}.>` });
    for (const subject of Object.keys(info.state.subjects ?? {})) {
      const key = subject.slice(prefix.length);
      const entry = await kv.get(key);
      if (!entry?.value.length) continue;
      // keyed by the source itself (the KV key holds only its subject token: `site.a` is stored as `site_a`)
      const saved = decodeAgentState(entry.value, key.slice(this.opts.kind.length + 1));
      this.savedState.set(saved.source, saved.state);
    }
  }

  /** The current template state of a source, for the analyze API (so its ids match the stream's). */
  stateOf(source: string): unknown {
    return this.pipelines.get(source)?.snapshot() ?? this.savedState.get(source);
  }

  private async saveState(force: boolean): Promise<void> {
    if (!this.kv || (!force && Date.now() - this.lastSave < 5000)) return;
    this.lastSave = Date.now();
    for (const [source, p] of this.pipelines) {
      await this.kv.put(agentStateKey(this.opts.kind, source), encodeAgentState(source, p.snapshot()));
    }
  }
}

/** The AGENT_STATE key of a source's template state: `<kind>.<subject token of the source>`. */
export function agentStateKey(kind: AgentKind, source: string): string {
  return `${kind}.${subjectToken(source)}`;
}

/**
 * A source's saved template state with the source's own name beside it: the key holds only its subject token, which
 * cannot be turned back into the name (`site.a` and `site_a` share `site_a`).
 */
export function encodeAgentState(source: string, state: unknown): Uint8Array {
  return encoder.encode(JSON.stringify({ source, state }));
}

/** Reads {@link encodeAgentState}'s value; a value saved before the source was kept (bare state) belongs to `token`. */
export function decodeAgentState(value: Uint8Array, token: string): { source: string; state: unknown } {
  const parsed = JSON.parse(decoder.decode(value)) as unknown;
  if (parsed && typeof parsed === 'object' && typeof (parsed as { source?: unknown }).source === 'string' && 'state' in parsed) {
    return parsed as { source: string; state: unknown };
  }
  return { source: token, state: parsed };
}

/** A fresh headers object per stored result (each carries its own message id). */
function agentHeaders(kind: AgentKind, instanceIndex?: number) {
  const h = headers();
  h.set('LogLens-Agent', kind);
  if (instanceIndex !== undefined) h.set('LogLens-Agent-Instance', String(instanceIndex));
  return h;
}

