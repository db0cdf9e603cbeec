import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  ACTIVE_EXPERIMENT_STATES,
  RegistrySubjects,
  ExperimentChangedEvent,
  type ExperimentDto,
  type ExperimentStatsMessage,
  type RowRouteKey,
} from '@loglens/contracts';
import { EventBus, HealthResponder, SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import { addAgreement, chooseArm, emptyArmCounts, recordRequest, shouldShadow, thinnedLatencies, type ArmCounts, type RouteTable } from '@loglens/experiments';

/** How often a worker sends its per-arm counts to the registry (the canary checks read them). */
export const STATS_EVERY_MS = 1000;

/**
 * One experiment's counts since the last report, by version ref. One object per experiment id, shared by every route
 * table of that experiment (each weights step makes a new Route): a request routed before a step or an end and
 * answered after it still counts, on the arm that answered it.
 */
interface ArmTally {
  experimentId: string;
  counts: Map<string, ArmCounts>;
}

const MODEL_KEY = Buffer.from('"model"');
const UNICODE_ESCAPE = Buffer.from('\\u');

/** How long the tally of an ended experiment still takes late answers: the longest predict timeout. */
const RETIRED_KEPT_MS = 120_000;

interface Route {
  experiment: ExperimentDto;
  table: RouteTable;
  tally: ArmTally;
}

/**
 * Which arm of a model's active experiment answers a request, and the per-arm counts the registry decides on. The
 * route table comes with the serving state and follows `registry.events.experiment-changed.v1`; counts go to the
 * registry every STATS_EVERY_MS on `registry.experiment.stats.v1`.
 */
@Injectable()
export class ExperimentRouter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ExperimentRouter.name);
  private readonly routes = new Map<string, Route>();
  /** each shadowed model's name as a JSON string's bytes (`"name"`): what {@link mayBeShadowed} looks for */
  private shadowNeedles: Buffer[] = [];
  /**
   * Tallies of experiments no longer routed, with when to forget them: requests in flight when they ended still land
   * here and are sent on the next ticks (a predict waits at most 120 s).
   */
  private retired: Array<{ tally: ArmTally; until: number }> = [];
  private timer?: NodeJS.Timeout;
  /** called with the candidate refs of a new route: the serving table warms them */
  onCandidates: (refs: string[]) => void = () => undefined;

  constructor(
    private readonly events: EventBus,
    private readonly health: HealthResponder,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  onModuleInit(): void {
    this.health.addDetails('experiments', () =>
      Object.fromEntries([...this.routes].map(([model, r]) => [model, { id: r.experiment.id, state: r.experiment.state, candidates: r.experiment.candidates }])),
    );
    this.events.subscribe(RegistrySubjects.experimentChanged, ExperimentChangedEvent, (e) => this.apply(e.experiment));
    this.timer = setInterval(() => this.flush(), STATS_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }

  /** The experiments of a serving-state reply (start, reconcile): every model not listed has none. */
  replaceAll(experiments: ExperimentDto[]): void {
    const seen = new Set<string>();
    for (const e of experiments) {
      seen.add(e.model);
      this.apply(e);
    }
    for (const model of [...this.routes.keys()]) if (!seen.has(model)) this.drop(model);
  }

  apply(e: ExperimentDto): void {
    const current = this.routes.get(e.model);
    if (!ACTIVE_EXPERIMENT_STATES.includes(e.state)) {
      if (current?.experiment.id === e.id) this.drop(e.model);
      return;
    }
    if (current && current.experiment.id === e.id && current.experiment.updatedAt > e.updatedAt) return;
    const shadowVersion = e.kind === 'shadow' ? e.candidates[0]?.version : undefined;
    const table: RouteTable = {
      experimentId: e.id,
      control: e.control,
      // a shadow candidate answers no caller
      candidates: e.kind === 'shadow' ? [] : e.candidates,
      shadowPercent: e.shadow?.percent ?? 0,
      ...(shadowVersion ? { shadowVersion } : {}),
    };
    if (current && current.experiment.id !== e.id) this.retire(current);
    const tally = current?.experiment.id === e.id ? current.tally : { experimentId: e.id, counts: new Map<string, ArmCounts>() };
    this.routes.set(e.model, { experiment: e, table, tally });
    this.refreshNeedles();
    if (!current || current.experiment.id !== e.id) this.logger.log(`${e.model}: ${e.kind} experiment ${e.id} (${e.candidates.map((c) => `${c.version} ${c.weight}%`).join(', ')})`);
    this.onCandidates(e.candidates.map((c) => c.version));
  }

  private drop(model: string): void {
    const route = this.routes.get(model);
    if (!route) return;
    this.retire(route);
    this.routes.delete(model);
    this.refreshNeedles();
    this.logger.log(`${model}: experiment ${route.experiment.id} over; the serving version answers all`);
  }

  private refreshNeedles(): void {
    this.shadowNeedles = [...this.routes].filter(([, r]) => r.table.shadowVersion !== undefined).map(([model]) => Buffer.from(JSON.stringify(model)));
  }

  /**
   * Whether a request's raw bytes (JSON, or a tensor frame's JSON head) may be for a model a shadow experiment runs
   * on, before they are parsed. False only when no experiment shadows, or when the bytes name a model (`"model"`),
   * hold no `\u` escape, and contain none of the shadowed models' names as a JSON string. The shadow pool gets a copy
   * of every predict request of every model; this lets it drop the others' for a byte search instead of a parse.
   */
  mayBeShadowed(raw: Uint8Array): boolean {
    const needles = this.shadowNeedles;
    if (needles.length === 0) return false;
    const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    // no model named: the worker's only model is meant, which may be a shadowed one; an escape may spell a name
    if (bytes.indexOf(MODEL_KEY) < 0 || bytes.indexOf(UNICODE_ESCAPE) >= 0) return true;
    for (const needle of needles) if (bytes.indexOf(needle) >= 0) return true;
    return false;
  }

  /** The running experiment's route of a model, or null: no arm is drawn (the shadow pool only reads it). */
  routeOf(model: string): Route | null {
    return this.routes.get(model) ?? null;
  }

  /** The version ref that answers this request, or null when the model has no experiment. */
  route(model: string, routeKey: string | undefined): { ref: string; route: Route } | null {
    const route = this.routes.get(model);
    if (!route) return null;
    return { ref: chooseArm(route.table, routeKey), route };
  }

  /**
   * The sticky key of one row of a request with `rowKeys`: the field the experiment's stickiness names (source, or the
   * window's key for host / window-key); for header stickiness the request's routeKey when it has one, else the
   * window's key. An empty key draws at random (chooseArm).
   */
  rowKey(route: Route, rowKey: RowRouteKey | undefined, routeKey: string | undefined): string | undefined {
    switch (route.experiment.stickiness?.key) {
      case 'source':
        return rowKey?.source ?? undefined;
      case 'host':
      case 'window-key':
        return rowKey?.window ?? undefined;
      default:
        return routeKey || (rowKey?.window ?? undefined);
    }
  }

  /** The arm of one row: `rowKey`'s key hashed as a request's routeKey is. */
  armOfRow(route: Route, key: string | undefined): string {
    return chooseArm(route.table, key);
  }

  /** Whether a row (by its key) also gets a shadow copy. */
  shadowsRow(route: Route, key: string | undefined): boolean {
    return route.table.shadowVersion !== undefined && shouldShadow(route.table, key);
  }

  /** The shadow version of the route, if any. */
  shadowVersionOf(route: Route): string | null {
    return route.table.shadowVersion ?? null;
  }

  /** The version a shadow copy of this request goes to, or null. */
  shadowOf(route: Route, routeKey: string | undefined): string | null {
    const v = route.table.shadowVersion;
    return v && shouldShadow(route.table, routeKey) ? v : null;
  }

  record(route: Route, ref: string, outcome: { ok: boolean; latencyMs: number; scores?: number[]; flags?: boolean[] | null; shadow?: boolean }): void {
    const arm = this.armOf(route, ref);
    recordRequest(arm, { ok: outcome.ok, latencyMs: outcome.latencyMs, scores: outcome.scores, flags: outcome.flags ?? undefined });
    if (!outcome.ok && outcome.shadow) arm.shadowErrors++;
  }

  /** A shadow copy the full shadow queue did not take: counted on the shadow arm. */
  dropped(route: Route, ref: string): void {
    this.armOf(route, ref).shadowDropped++;
  }

  /** The shadow arm's decisions against the control's on the same rows. */
  agree(route: Route, ref: string, control: readonly boolean[] | null, candidate: readonly boolean[] | null): void {
    if (!control || !candidate) return;
    const arm = this.armOf(route, ref);
    for (let i = 0; i < Math.min(control.length, candidate.length); i++) addAgreement(arm.agreement, control[i], candidate[i]);
  }

  private armOf(route: Route, ref: string): ArmCounts {
    const counts = route.tally.counts;
    let arm = counts.get(ref);
    if (!arm) counts.set(ref, (arm = emptyArmCounts(ref)));
    return arm;
  }

  /** Sends what the route counted so far and keeps its tally one more tick for requests still in flight. */
  private retire(route: Route): void {
    this.send(route.tally);
    this.retired.push({ tally: route.tally, until: Date.now() + RETIRED_KEPT_MS });
  }

  private flush(): void {
    for (const route of this.routes.values()) this.send(route.tally);
    const now = Date.now();
    for (const { tally } of this.retired) this.send(tally);
    this.retired = this.retired.filter((r) => r.until > now);
  }

  private send(tally: ArmTally): void {
    if (tally.counts.size === 0) return;
    const msg: ExperimentStatsMessage = {
      experimentId: tally.experimentId,
      worker: this.identity.instanceId,
      arms: [...tally.counts.values()].map((arm) => thinnedLatencies(arm)) as unknown as Array<Record<string, unknown>>,
    };
    tally.counts = new Map();
    this.events.publish(RegistrySubjects.experimentStats, msg);
  }
}
