import { TemplateMiner, WifiLogParser, type TemplateMinerState, type WifiEvent } from '@loglens/log-parsing';
import {
  DEFAULT_WIFI_WINDOW_MS,
  TumblingWindower,
  WIFI_FEATURE_SCHEMA,
  WifiWindowState,
  addWifiEvent,
  featureNames,
  wifiApKey,
  wifiFeaturesComputable,
  wifiWindowVector,
  type ClosedWindow as FeatureWindow,
  type WifiWindowEvent,
} from '@loglens/features';
import type { AnalysisPipeline, ClosedWindow, ParsedRecord, PipelineInput, PipelineStateSize } from '../pipeline';

interface Acc {
  wifi: WifiWindowState;
  members: number[];
}

type Handled = WifiWindowEvent & { handle: number };

export interface WifiPipelineOptions {
  /**
   * The serving model's columns (its feature schema), when it was trained on another version of the WiFi features
   * (a `wifi-window.v1` model keeps getting its 36 columns). Default, or when a name is unknown: the current schema.
   */
  featureNames?: readonly string[];
  windowMs?: number;
  /** a window this full closes early: bounds memory under a flood */
  maxEvents?: number;
  /** windows open at once / keys remembered by the windower (see TumblingWindowOptions) */
  maxOpenWindows?: number;
  maxWindowKeys?: number;
  /** stations, clients, interfaces, BSSIDs the parser follows (each table) */
  maxTracked?: number;
  maxTemplates?: number;
}

/**
 * The WiFi agent's pipeline: any supported dialect (hostapd, wpa_supplicant, WLC syslog, telemetry JSON) → typed
 * events → per-AP tumbling windows → the WiFi feature vector (`wifi-window.v2`, or the serving model's own columns) the
 * wifi-anomaly model reads.
 */
export class WifiPipeline implements AnalysisPipeline {
  readonly kind = 'wifi' as const;
  readonly featureNames: readonly string[];
  private readonly parser: WifiLogParser;
  private readonly windower: TumblingWindower<Handled, Acc>;
  private readonly closed: ClosedWindow[] = [];
  private readonly windowMs: number;

  constructor(state?: unknown, options: WifiPipelineOptions = {}) {
    const miner = isMinerState(state) ? TemplateMiner.fromJSON(state, { maxClusters: options.maxTemplates }) : new TemplateMiner({ maxClusters: options.maxTemplates });
    this.parser = new WifiLogParser({ miner, maxTracked: options.maxTracked });
    this.windowMs = options.windowMs ?? DEFAULT_WIFI_WINDOW_MS;
    const wanted = options.featureNames;
    this.featureNames = wanted && wanted.length > 0 && wifiFeaturesComputable(wanted) ? [...wanted] : featureNames(WIFI_FEATURE_SCHEMA);
    this.windower = new TumblingWindower<Handled, Acc>(
      {
        keyOf: (e) => wifiApKey(e),
        timeOf: (e) => e.time,
        create: (_key, start) => ({ wifi: new WifiWindowState(start), members: [] }),
        add: (acc, e) => {
          addWifiEvent(acc.wifi, e);
          acc.members.push(e.handle);
        },
      },
      { sizeMs: this.windowMs, maxEvents: options.maxEvents ?? 50_000, maxOpenWindows: options.maxOpenWindows, maxKeys: options.maxWindowKeys },
    );
  }

  add(handle: number, input: PipelineInput): ParsedRecord {
    let event: WifiEvent;
    try {
      event = this.parser.parse(input.message);
    } catch (e) {
      return { templateId: null, template: null, windows: 0, error: `unparseable: ${(e as Error).message}` };
    }
    const time = event.time ?? input.time ?? input.arrival ?? null;
    const host = event.host ?? input.host;
    for (const w of this.windower.add({ ...event, time, host, handle })) this.closed.push(this.toWindow(w));
    return { templateId: event.templateId, template: event.template, windows: 1 };
  }

  flushDue(): ClosedWindow[] {
    return this.closed.splice(0);
  }

  flushAll(): ClosedWindow[] {
    for (const w of this.windower.flush()) this.closed.push(this.toWindow(w));
    return this.closed.splice(0);
  }

  stateSize(): PipelineStateSize {
    const miner = this.parser.miner.stateSize();
    const parser = this.parser.stateSize();
    const w = this.windower.evictions;
    return {
      openWindows: this.windower.size,
      windowKeys: this.windower.trackedKeys,
      templates: miner.templates,
      trackedKeys: parser.tracked,
      evictions: { openWindows: w.openWindows, windowKeys: w.keys, templates: miner.evictions, trackedKeys: parser.evictions, sources: 0 },
    };
  }

  snapshot(): TemplateMinerState {
    return this.parser.miner.toJSON();
  }

  private toWindow(w: FeatureWindow<Acc>): ClosedWindow {
    return { key: w.key, start: w.start, end: w.end, members: w.state.members, features: wifiWindowVector(w.state.wifi, this.windowMs, this.featureNames) };
  }
}

function isMinerState(s: unknown): s is TemplateMinerState {
  return typeof s === 'object' && s !== null && 'templates' in s;
}
