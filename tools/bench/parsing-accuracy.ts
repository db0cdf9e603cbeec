// Grouping accuracy of @loglens/log-parsing's TemplateMiner on Loghub-2k, next to Drain's and Brain's published
// figures, plus throughput. One miner configuration (the library defaults) for every system; each system's
// `Content` column is fed in file order, the way logpai/logparser runs Drain on these files.
// CLI: node tools/ts-run.mjs tools/bench/parsing-accuracy.ts [--corrected-dir <loghub-2k-corrected>]
//   → markdown on stdout, tmp/bench/parsing-accuracy.json
// --corrected-dir adds a column against Loghub-2.0's corrected labels (grouped by EventTemplate, as its evaluator
// does); those files are not in data/ (size), so pass their folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_TEMPLATE_MINER_OPTIONS,
  LoghubRow,
  TemplateMiner,
  groupAccuracy,
  parseLoghubStructuredCsv,
} from '@loglens/log-parsing';
import { workspaceRoot } from '@loglens/testing/workspace';

// the 16 systems in the order of the ICSE'19 table
const SYSTEMS = [
  'HDFS',
  'Hadoop',
  'Spark',
  'Zookeeper',
  'OpenStack',
  'BGL',
  'HPC',
  'Thunderbird',
  'Windows',
  'Linux',
  'Mac',
  'Android',
  'HealthApp',
  'Apache',
  'OpenSSH',
  'Proxifier',
] as const;
const THROUGHPUT_RUNS = 5;

/** What one benchmark run measured (also written to tmp/bench/parsing-accuracy.json). */
export type ParsingAccuracySummary = ReturnType<typeof measureParsingAccuracy>;

/** One Loghub-2k system's figures. */
export interface SystemResult {
  system: string;
  lines: number;
  truthTemplates: number;
  minedTemplates: number;
  /** Each line in its final template (ids resolved through merges), as logparser's Drain writes its output. */
  ga: number;
  /** Each line in the template `add` returned at the time. */
  gaOnline: number;
  gaCorrected?: number;
  drainPublished: number | null;
  brainPublished: number | null;
}

/**
 * Runs the template miner over every Loghub-2k system in data/ and returns per-system and mean GA next to Drain's and
 * Brain's published figures, plus throughput (`throughputRuns` passes over the 16 files back to back).
 */
export function measureParsingAccuracy(
  root: string,
  opts: { correctedDir?: string; throughputRuns?: number } = {},
) {
  const { correctedDir } = opts;
  const throughputRuns = opts.throughputRuns ?? THROUGHPUT_RUNS;
  const drain = parseIcse19Row(
    readFileSync(path.join(root, 'data/published/logparser_docs_benchmark_ICSE19_table.rst'), 'utf8'),
    'Drain',
  );
  const brain = parseReadmeAccuracy(
    readFileSync(path.join(root, 'data/published/logparser_per_parser_readme_benchmarks.md'), 'utf8'),
    'Brain',
  );

  const data = new Map<string, LoghubRow[]>();
  for (const s of SYSTEMS) {
    data.set(
      s,
      parseLoghubStructuredCsv(
        readFileSync(path.join(root, `data/loghub-2k/${s}/${s}_2k.log_structured.csv`), 'utf8'),
      ),
    );
  }

  const results: SystemResult[] = SYSTEMS.map((s) => {
    const rows = data.get(s) ?? [];
    const miner = new TemplateMiner();
    const online = rows.map((r) => miner.add(r.content).templateId);
    const final = online.map((id) => miner.resolveId(id));
    const truth = rows.map((r) => r.eventId);
    const result: SystemResult = {
      system: s,
      lines: rows.length,
      truthTemplates: new Set(truth).size,
      minedTemplates: miner.templates().length,
      ga: groupAccuracy(final, truth),
      gaOnline: groupAccuracy(online, truth),
      drainPublished: drain.get(s) ?? null,
      brainPublished: brain.get(s) ?? null,
    };
    if (correctedDir) {
      const corrected = parseLoghubStructuredCsv(
        readFileSync(path.join(correctedDir, s, `${s}_2k.log_structured_corrected.csv`), 'utf8'),
      );
      if (corrected.length !== rows.length || corrected.some((r, i) => r.content !== rows[i].content)) {
        throw new Error(`${s}: corrected file has other lines than data/loghub-2k`);
      }
      result.gaCorrected = groupAccuracy(
        final,
        corrected.map((r) => r.eventTemplate),
      );
    }
    return result;
  });

  // throughput: one miner over all 16 files back to back; the best of a few runs (the machine is shared)
  const all = SYSTEMS.flatMap((s) => (data.get(s) ?? []).map((r) => ({ system: s, row: r })));
  const runs: number[] = [];
  let mixed: { ga: number; templates: number } | null = null;
  for (let run = 0; run < throughputRuns; run++) {
    const miner = new TemplateMiner();
    const started = performance.now();
    const ids = all.map((x) => miner.add(x.row.content).templateId);
    runs.push(performance.now() - started);
    // the same stream scored as one mixed source: truth groups are (system, event)
    mixed ??= {
      ga: groupAccuracy(
        ids.map((id) => miner.resolveId(id)),
        all.map((x) => `${x.system}/${x.row.eventId}`),
      ),
      templates: miner.templates().length,
    };
  }
  const bestMs = Math.min(...runs);
  const medianMs = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];

  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const summary = {
    dataset: 'data/loghub-2k (Loghub-2k, original labels; GA grouped by EventId)',
    options: {
      ...DEFAULT_TEMPLATE_MINER_OPTIONS,
      maskRules: DEFAULT_TEMPLATE_MINER_OPTIONS.maskRules.map((r) => r.name),
    },
    systems: results,
    meanGa: mean(results.map((r) => r.ga)),
    meanGaOnline: mean(results.map((r) => r.gaOnline)),
    meanGaCorrected: correctedDir ? mean(results.map((r) => r.gaCorrected ?? 0)) : undefined,
    drainPublishedMean: mean(results.map((r) => r.drainPublished ?? 0)),
    brainPublishedMean: mean(results.map((r) => r.brainPublished ?? 0)),
    mixedStream: mixed,
    throughput: {
      lines: all.length,
      runs: throughputRuns,
      bestMs,
      medianMs,
      linesPerSecond: Math.round(all.length / (bestMs / 1000)),
      linesPerSecondMedian: Math.round(all.length / (medianMs / 1000)),
    },
    node: process.version,
    measuredAt: new Date().toISOString(),
  };
  return summary;
}

/** The benchmark's markdown table and throughput lines. */
export function renderParsingAccuracyMarkdown(summary: ParsingAccuracySummary): string {
  const correctedDir = summary.meanGaCorrected !== undefined;
  const results = summary.systems;
  const mixed = summary.mixedStream;
  const f = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x.toFixed(3));
  const lines = [
    `| System | lines | truth templates | mined templates | GA | GA online | ${correctedDir ? 'GA corrected | ' : ''}Drain (published) | Brain (published) |`,
    `|---|---:|---:|---:|---:|---:|${correctedDir ? '---:|' : ''}---:|---:|`,
    ...results.map(
      (r) =>
        `| ${r.system} | ${r.lines} | ${r.truthTemplates} | ${r.minedTemplates} | ${f(r.ga)} | ${f(r.gaOnline)} | ${correctedDir ? `${f(r.gaCorrected)} | ` : ''}${f(r.drainPublished)} | ${f(r.brainPublished)} |`,
    ),
    `| **mean** | | | | **${f(summary.meanGa)}** | ${f(summary.meanGaOnline)} | ${correctedDir ? `${f(summary.meanGaCorrected)} | ` : ''}${f(summary.drainPublishedMean)} | ${f(summary.brainPublishedMean)} |`,
    '',
    `Throughput: ${summary.throughput.lines} lines (16 files back to back, one miner): best ${summary.throughput.linesPerSecond.toLocaleString('en-US')} lines/s, median ${summary.throughput.linesPerSecondMedian.toLocaleString('en-US')} lines/s over ${summary.throughput.runs} runs (node ${summary.node}).`,
    `Same stream as one mixed source: GA ${f(mixed?.ga)} with ${mixed?.templates ?? 0} templates.`,
    'GA: each line in its final template (merged ids resolved); GA online: in the template `add` returned at the time.',
  ];
  return lines.join('\n');
}

function main(argv: string[]): void {
  const root = workspaceRoot();
  const correctedAt = argv.indexOf('--corrected-dir');
  const correctedDir = correctedAt >= 0 ? argv[correctedAt + 1] : undefined;
  const summary = measureParsingAccuracy(root, { correctedDir });
  console.log(renderParsingAccuracyMarkdown(summary));
  const outDir = path.join(root, 'tmp/bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'parsing-accuracy.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

/** Drain's row of the ICSE'19 table (logpai/logparser docs/benchmark.rst): two halves of 8 systems each. */
function parseIcse19Row(rst: string, tool: string): Map<string, number> {
  const out = new Map<string, number>();
  let header: string[] = [];
  for (const line of rst.split(/\r?\n/)) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.replace(/[*\s]/g, ''));
    if (cells[0] === 'Tools') header = cells.slice(1);
    else if (cells[0] === tool) cells.slice(1).forEach((v, i) => out.set(header[i], Number(v)));
  }
  if (out.size !== 16)
    throw new Error(`${tool}: found ${out.size} systems in the ICSE'19 table, expected 16`);
  return out;
}

/** The Accuracy column of one parser's "## <Parser>" table in the per-parser README collection. */
function parseReadmeAccuracy(md: string, parser: string): Map<string, number> {
  const out = new Map<string, number>();
  const start = md.indexOf(`## ${parser}\n`);
  if (start < 0) throw new Error(`no section for ${parser}`);
  const end = md.indexOf('\n## ', start + 1);
  for (const line of md.slice(start, end < 0 ? undefined : end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const value = Number(cells[3]);
    if (
      cells.length >= 4 &&
      SYSTEMS.includes(cells[1] as (typeof SYSTEMS)[number]) &&
      Number.isFinite(value)
    ) {
      out.set(cells[1], value);
    }
  }
  if (out.size !== 16) throw new Error(`${parser}: found ${out.size} systems, expected 16`);
  return out;
}

// tools/ts-run.mjs names the bundle after the entry (tools__bench__parsing-accuracy.cjs) and loads it with import(),
// which leaves require.main unset; matching the name keeps tools that import this file (the eval) from running it
const ranByTsRun = require.main === undefined && /(^|[\\/_])parsing-accuracy\.[cm]?[jt]s$/.test(process.argv[1] ?? '');
if (require.main === module || ranByTsRun) main(process.argv.slice(2));
