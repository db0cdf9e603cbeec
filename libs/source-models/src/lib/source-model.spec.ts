import * as ort from 'onnxruntime-node';
import type { FeatureSchemaDto } from '@loglens/contracts';
import { BasePipeline } from '@loglens/agent-runtime';
import { SourceTrainingError, trainSourceModel } from './source-model';

const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 1);

/** A normal app: logins, requests and a periodic job, ISO-stamped, with mild randomness from a fixed LCG. */
function appLog(minutes: number, from = START, seed = 7): string[] {
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
      else out.push(`${t} WARN db: slow query took ${200 + Math.floor(rnd() * 300)} ms`);
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

  it('refuses a stretch too short to learn from, saying what to change', () => {
    expect(() => trainSourceModel({ sources: ['tiny'], records: appLog(3) })).toThrow(SourceTrainingError);
    expect(() => trainSourceModel({ sources: ['none'], records: [] })).toThrow(/no log lines/);
  });
});
