import * as ort from 'onnxruntime-node';
import type { FeatureSchemaDto } from '@loglens/contracts';
import { BasePipeline } from '@loglens/agent-runtime';
import { ReferenceTemplateNames, addWindow, compareProfiles, emptyProfileLike, profileProblem, type ReferenceProfile } from '@loglens/drift';
import { SourceTrainingError, trainSourceModel } from './source-model';

const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 1);

/** A normal app: logins, requests and a periodic job, ISO-stamped, with mild randomness from a fixed LCG. */
function appLog(minutes: number, from = START, seed = 7, shift: { slowQueryTimes?: number; newEvery?: number } = {}): string[] {
  let x = seed;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: string[] = [];
  for (let m = 0; m < minutes; m++) {
    const n = 8 + Math.floor(rnd() * 6);
    for (let k = 0; k < n; k++) {
      const t = new Date(from + m * MINUTE + Math.floor((k / n) * MINUTE)).toISOString();
      const r = rnd();
      if (r < 0.5) out.push(`${t} INFO web[${100 + (k % 3)}]: GET /api/items/${Math.floor(rnd() * 900)} 200 in ${Math.floor(rnd() * 40)} ms`);
      else if (r < 0.8) out.push(`${t} INFO auth: user u${Math.floor(rnd() * 50)} logged in from 10.0.${Math.floor(rnd() * 9)}.${Math.floor(rnd() * 200)}`);
      else if (r < 0.97) out.push(`${t} INFO cache: evicted ${Math.floor(rnd() * 30)} entries`);
      else for (let c = 0; c < (shift.slowQueryTimes ?? 1); c++) out.push(`${t} WARN db: slow query took ${200 + Math.floor(rnd() * 300)} ms`);
      if (shift.newEvery && out.length % shift.newEvery === 0) out.push(`${t} WARN fan: fan ${Math.floor(rnd() * 4)} failed at ${Math.floor(rnd() * 9000)} rpm`);
    }
  }
  return out;
}

async function scores(onnx: Uint8Array, rows: number[][]): Promise<number[]> {
  const session = await ort.InferenceSession.create(onnx);
  try {
    const out = await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]) });
    return Array.from(out['score'].data as Float32Array);
  } finally {
    await session.release();
  }
}

function windowsOf(model: ReturnType<typeof trainSourceModel>, lines: string[]): number[][] {
  const p = new BasePipeline(model.metadata['featureSchema'] as FeatureSchemaDto, undefined, { windowMs: model.summary.windowMs });
  lines.forEach((l, i) => p.add(i, { message: l, time: null, source: 'app' }));
  return p.flushAll().map((w) => w.features);
}

describe('trainSourceModel', () => {
  const model = trainSourceModel({ sources: ['app'], records: appLog(600) });

  it('learns the source’s own templates, a window length from its lines and provenance', () => {
    expect(model.summary.lines).toBeGreaterThan(4000);
    expect(model.summary.windowMs).toBe(MINUTE);
    expect(model.summary.templates).toBeGreaterThanOrEqual(4);
    expect(model.summary.from).toBe(new Date(START).toISOString());
    const schema = model.metadata['featureSchema'] as FeatureSchemaDto & { knownTemplates: string[] };
    expect(schema.version).toBe('source-templates.v1');
    expect(schema.features.map((f) => f.description)).toContain('user <*> logged in from <*>');
    expect(schema.features.map((f) => f.name)).toEqual(expect.arrayContaining(['other_templates', 'new_template_types', 'events']));
  });

  it('keeps a further normal period of the same source under 1 % anomalous windows', async () => {
    const rows = windowsOf(model, appLog(300, START + 600 * MINUTE, 99));
    const s = await scores(model.onnx, rows);
    expect(s.filter((v) => v >= model.summary.threshold).length / s.length).toBeLessThanOrEqual(0.01);
  });

  it('does not flag a window for one never-seen but harmless line type', async () => {
    const normal = appLog(60, START + 900 * MINUTE, 5);
    const withNew = [...normal];
    // three lines of a type the source never logged before, in one minute
    for (let k = 0; k < 3; k++) withNew.splice(100 + k, 0, `${new Date(START + 910 * MINUTE + k * 1000).toISOString()} INFO backup: snapshot ${k} written to /var/backups`);
    const rows = windowsOf(model, withNew);
    const newCol = (model.metadata['featureSchema'] as FeatureSchemaDto).features.findIndex((f) => f.name === 'new_template_types');
    const hit = rows.filter((r) => r[newCol] > 0);
    expect(hit.length).toBe(1);
    const s = await scores(model.onnx, hit);
    expect(s[0]).toBeLessThan(model.summary.threshold);
  });

  it('flags a burst of errors far beyond anything in training', async () => {
    const lines = appLog(30, START + 1000 * MINUTE, 3);
    const t = new Date(START + 1010 * MINUTE + 1000).toISOString();
    for (let k = 0; k < 400; k++) lines.push(`${t} ERROR db: connection refused to 10.0.0.5:5432`);
    const rows = windowsOf(model, lines);
    const s = await scores(model.onnx, rows);
    expect(Math.max(...s)).toBeGreaterThanOrEqual(model.summary.threshold);
  });

  describe('reference profile (drift)', () => {
    const reference = model.metadata['referenceProfile'] as ReferenceProfile;
    const columns = (model.metadata['featureSchema'] as FeatureSchemaDto).features.map((f) => f.name);
    const columnOf = (text: string): string => (model.metadata['featureSchema'] as FeatureSchemaDto).features.find((f) => f.description?.includes(text))!.name;

    /** A later period through a fresh pipeline, folded like an agent folds its windows: rows, scores, template lines. */
    async function liveProfile(lines: string[]) {
      const p = new BasePipeline(model.metadata['featureSchema'] as FeatureSchemaDto, undefined, { windowMs: model.summary.windowMs });
      const perTemplate = new Map<string, number>();
      lines.forEach((l, i) => {
        const parsed = p.add(i, { message: l, time: null, source: 'app' });
        if (parsed.templateId) perTemplate.set(parsed.templateId, (perTemplate.get(parsed.templateId) ?? 0) + 1);
      });
      const rows = p.flushAll().map((w) => w.features);
      const s = await scores(model.onnx, rows);
      const live = emptyProfileLike(reference);
      rows.forEach((row, i) => addWindow(live, { row, featureNames: columns, score: s[i], flagged: s[i] >= model.summary.threshold }));
      const names = new ReferenceTemplateNames(reference.templates);
      const templates = names.rename([...perTemplate].map(([id, n]) => [p.resolveTemplate(id)?.template ?? id, n] as const));
      addWindow(live, { row: [], featureNames: [], score: null, flagged: false, templates });
      live.windows--; // the template-only fold is not a window
      return compareProfiles(reference, live);
    }

    it('is written into the metadata: a histogram per column, the scores, the flagged share, lines per template', () => {
      expect(profileProblem(reference)).toBeNull();
      expect(Object.keys(reference.features)).toEqual(columns);
      expect(reference.windows).toBe(model.summary.windows);
      expect(reference.flagged / reference.windows).toBeCloseTo(model.summary.trainingAnomalyRate, 12);
      expect(reference.threshold).toBe(model.summary.threshold);
      expect(reference.templates!.counts['user <*> logged in from <*>']).toBeGreaterThan(1000);
      expect(reference.templates!.n).toBe(model.summary.lines);
    });

    it('a further normal period of the source drifts on no feature and shows no unseen templates', async () => {
      const report = await liveProfile(appLog(300, START + 600 * MINUTE, 99));
      expect(report.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual([]);
      expect(report.dataset.drifted).toBe(false);
      expect(report.templates!.drifted).toBe(false);
      expect(report.unseenTemplates!.rate).toBeLessThan(0.01);
    });

    it('a template at ×5 its rate drifts its own column; a new template at ~2 % of lines is the unseen-template rate', async () => {
      const report = await liveProfile(appLog(300, START + 600 * MINUTE, 99, { slowQueryTimes: 5, newEvery: 50 }));
      const drifted = report.features.filter((f) => f.drifted).map((f) => f.feature);
      const slow = columnOf('slow query');
      expect(drifted).toContain(slow);
      const mostDrifted = [...report.features].sort((a, b) => (a.value ?? 1) - (b.value ?? 1))[0];
      expect([slow, 'warning_events']).toContain(mostDrifted.feature);
      // the untouched templates keep their columns
      expect(drifted).not.toContain(columnOf('user <*> logged in'));
      expect(report.templates!.drifted).toBe(true);
      expect(report.unseenTemplates!.drifted).toBe(true);
      expect(report.unseenTemplates!.rate).toBeGreaterThan(0.01);
      expect(report.unseenTemplates!.rate).toBeLessThan(0.03);
      expect(report.unseenTemplates!.examples[0].template).toBe('fan <*> failed at <*> rpm');
    });
  });

  it('refuses a stretch too short to learn from, saying what to change', () => {
    expect(() => trainSourceModel({ sources: ['tiny'], records: appLog(3) })).toThrow(SourceTrainingError);
    expect(() => trainSourceModel({ sources: ['none'], records: [] })).toThrow(/no log lines/);
  });
});
