// What a user gets from the analyze path on raw lines of sixteen different systems: the lines' own header formats
// found, templates that group like the labels (GA) and read like them (PA against Loghub-2.0's corrected labels),
// and windows dated from the lines' own clocks. `npm run eval` reports the per-system figures (docs/quality.md §5);
// this spec keeps the means from sliding below the targets.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { groupAccuracy, parseLoghubStructuredCsv } from '@loglens/log-parsing';
import { workspaceRoot } from '@loglens/testing/workspace';
import { analyzeRecords } from '../analyze';
import { BasePipeline } from './base-pipeline';

const SYSTEMS = ['HDFS', 'Hadoop', 'Spark', 'Zookeeper', 'OpenStack', 'BGL', 'HPC', 'Thunderbird', 'Windows', 'Linux', 'Mac', 'Android', 'HealthApp', 'Apache', 'OpenSSH', 'Proxifier'];

const collapse = (t: string): string => t.replace(/\s+/g, ' ').trim();
const unscored = { score: async (rows: number[][]) => rows.map(() => ({ score: null, isAnomaly: false, threshold: null, modelVersion: null, topFeatures: [] })) };

describe('raw Loghub-2k lines through the analyze path', () => {
  jest.setTimeout(120_000);

  it('groups with mean GA ≥ 0.95 and writes templates with mean PA ≥ 0.80 over all 16 systems, every window dated', async () => {
    const root = workspaceRoot();
    const ga: number[] = [];
    const pa: number[] = [];
    for (const system of SYSTEMS) {
      const text = readFileSync(path.join(root, `data/loghub-2k/${system}/${system}_2k.log`), 'utf8');
      const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
      if (lines[lines.length - 1] === '') lines.pop();
      const labels = parseLoghubStructuredCsv(readFileSync(path.join(root, `data/loghub-2k-corrected/${system}/${system}_2k.labels_corrected.csv`), 'utf8'));
      expect(labels).toHaveLength(lines.length);
      const reply = await analyzeRecords(lines, (_s, state) => new BasePipeline(null, state), unscored, { kind: 'base', source: system.toLowerCase() });
      ga.push(groupAccuracy(reply.records.map((r) => r.templateId ?? `error:${r.index}`), labels.map((l) => l.eventTemplate)));
      pa.push(reply.records.filter((r, i) => collapse(r.template ?? '') === collapse(labels[i].eventTemplate)).length / lines.length);
      // dated from the lines themselves: no window at the epoch
      expect(reply.windows.filter((w) => Date.parse(w.start) < Date.UTC(1990, 0, 1))).toEqual([]);
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(ga)).toBeGreaterThanOrEqual(0.95);
    expect(mean(pa)).toBeGreaterThanOrEqual(0.8);
  });
});
