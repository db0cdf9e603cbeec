// Per-source models on Loghub-2k (docs/quality.md §6): each system's raw lines split in stream order, a model
// learned through trainSourceModel on the first half (labels never read), its windows of the second half scored in
// onnxruntime-node as a worker would. Reports the share of anomalous windows, and for BGL (whose first field is the
// alert label, '-' = normal) window-level precision/recall/F1 with the labels read only for the report.
import * as ort from 'onnxruntime-node';
import type { FeatureSchemaDto } from '@loglens/contracts';
import { BasePipeline } from '@loglens/agent-runtime';
import { trainSourceModel } from '@loglens/source-models';
import { binaryMetrics } from '@loglens/training';
import { LOGHUB_SYSTEMS, readRawLines } from '../bench/raw-line-accuracy';
import { DEFAULT_SIM_START, simulateWifi } from '@loglens/testing/models';

export interface SourceModelRow {
  system: string;
  windowMin: number;
  vocabulary: number;
  templates: number;
  trainWindows: number;
  testWindows: number;
  flagged: number;
  note?: string;
}

async function scoreOnnx(onnx: Uint8Array, rows: number[][]): Promise<number[]> {
  if (rows.length === 0) return [];
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]) });
    return Array.from(out['score'].data as Float32Array);
  } finally {
    await session.release();
  }
}

const span = (ms: number): string => (ms >= 3600_000 ? `${ms / 3600_000} h` : ms >= 60_000 ? `${ms / 60_000} min` : `${ms / 1000} s`);

export async function evaluateSourceModels(root: string): Promise<{ markdown: string; rows: SourceModelRow[] }> {
  const rows: SourceModelRow[] = [];
  let bgl = '';
  for (const system of LOGHUB_SYSTEMS) {
    const lines = readRawLines(root, system);
    const half = Math.floor(lines.length / 2);
    // BGL's label is its first field: strip it from what the model sees ('-' for every line)
    const strip = system === 'BGL' || system === 'Thunderbird' ? (l: string) => l.replace(/^\S+/, '-') : (l: string) => l;
    let model: ReturnType<typeof trainSourceModel>;
    try {
      model = trainSourceModel({ sources: [system.toLowerCase()], records: lines.slice(0, half).map(strip) });
    } catch (e) {
      rows.push({ system, windowMin: 0, vocabulary: 0, templates: 0, trainWindows: 0, testWindows: 0, flagged: 0, note: (e as Error).message });
      continue;
    }
    const p = new BasePipeline(model.metadata['featureSchema'] as FeatureSchemaDto, undefined, { windowMs: model.summary.windowMs });
    const test = lines.slice(half);
    test.forEach((l, i) => p.add(i, { message: strip(l), time: null, source: system.toLowerCase() }));
    const windows = p.flushAll();
    const scores = await scoreOnnx(model.onnx, windows.map((w) => w.features));
    const flagged = scores.map((s) => s >= model.summary.threshold);
    rows.push({
      system,
      windowMin: model.summary.windowMs / 60_000,
      vocabulary: model.summary.vocabulary,
      templates: model.summary.templates,
      trainWindows: model.summary.windows,
      testWindows: windows.length,
      flagged: flagged.filter(Boolean).length,
    });
    if (system === 'BGL') {
      const truth = windows.map((w) => (w.members.some((m) => !test[m].startsWith('- ')) ? 1 : 0));
      const m = binaryMetrics(truth, scores, model.summary.threshold);
      bgl = `BGL_2k, second half (${windows.length} windows of ${span(model.summary.windowMs)}, ${truth.filter(Boolean).length} holding an alert line): ` +
        `precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, **F1 ${m.f1.toFixed(3)}** for the per-source model (unsupervised, labels stripped, ` +
        'window and threshold chosen without labels) — beside §2\'s supervised figure on BGL_2k. The first half is not a normal ' +
        `period: ${lines.slice(0, half).filter((l) => !l.startsWith('- ')).length} of its ${half} lines are alerts, spread over most of its days, so the detector ` +
        'learns them as the source\'s normal and scores alert windows lower than quiet ones. Learning "normal" needs a stretch that is mostly normal; ' +
        'BGL_2k (a sample drawn across 215 days, alerts included) is not one.';
    }
  }
  // simulated WiFi as one site's syslog: two normal days to learn from, a normal day a week later to score
  {
    const DAY = 86_400_000;
    const train = simulateWifi({ seed: 1, durationMs: 2 * DAY }).lines;
    const test = simulateWifi({ seed: 2, start: DEFAULT_SIM_START + 7 * DAY, durationMs: DAY }).lines;
    const model = trainSourceModel({ sources: ['wifi-site'], records: train });
    const p = new BasePipeline(model.metadata['featureSchema'] as FeatureSchemaDto, undefined, { windowMs: model.summary.windowMs });
    test.forEach((l, i) => p.add(i, { message: l, time: null, source: 'wifi-site' }));
    const windows = p.flushAll();
    const scores = await scoreOnnx(model.onnx, windows.map((w) => w.features));
    rows.push({
      system: 'WiFi (simulated site, base agent)',
      windowMin: model.summary.windowMs / 60_000,
      vocabulary: model.summary.vocabulary,
      templates: model.summary.templates,
      trainWindows: model.summary.windows,
      testWindows: windows.length,
      flagged: scores.filter((s) => s >= model.summary.threshold).length,
      note: 'trained on 2 simulated normal days, scored on a normal day a week later',
    });
  }
  const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)} %` : '—');
  const markdown = [
    '## 6. Models learned from a source\'s own logs (`trainSourceModel`)',
    '',
    'Each Loghub-2k system\'s raw lines in stream order: a model trained on the first 1,000 lines (as `POST /model-management/models/{name}/train` or ' +
      '`npm run train -- --from-file` would), its windows of the last 1,000 scored in onnxruntime-node. The Loghub-2k samples are drawn across each ' +
      'system\'s whole log rather than being two consecutive periods, and several hold labelled failures in both halves, so the second half is a ' +
      'harder "further period" than a user\'s next day. Window length and threshold come from the training lines alone.',
    '',
    '| System | window | columns (of templates) | training windows | test windows | anomalous | note |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.system} | ${r.windowMin ? span(r.windowMin * 60_000) : '—'} | ${r.vocabulary} (${r.templates}) | ${r.trainWindows} | ${r.testWindows} | ${pct(r.flagged, r.testWindows)} | ${r.note ?? ''} |`),
    '',
    bgl,
    '',
  ].join('\n');
  return { markdown, rows };
}

if (/source-models-eval\.(ts|cjs)$/.test(process.argv[1] ?? '')) {
  void evaluateSourceModels(process.cwd()).then((r) => console.log(r.markdown));
}
