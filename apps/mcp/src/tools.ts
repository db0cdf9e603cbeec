import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { LogLensApiError, type LogLensClient, LogRecordsError, parseLogRecords } from '@loglens/client';
import { ANALYZE_MAX_RECORDS, EXPLAIN_MAX_ROWS, type AnalyzeWindowDto, type LogRecordInput, type ModelSummaryDto, type ModelVersionDto, type TopFeatureDto, type WindowResultDto } from '@loglens/contracts';
import { fitList, guarded, ok, ToolInputError } from './results';

/** Bytes of a log file analyze_logs reads at most (10,000 lines of 2 KiB). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Versions listed per model by model_details; the newest are kept. */
const MAX_VERSIONS_LISTED = 20;
/** Features of a schema listed by model_details. */
const MAX_FEATURES_LISTED = 60;

const confirmSchema = z
  .boolean()
  .optional()
  .describe('Must be true, and only after the user explicitly agreed to this change in the conversation. Without it nothing is changed.');

export interface ToolOptions {
  /** folders analyze_logs may read files from */
  fileRoots: string[];
}

/** Registers the seven LogLens tools on `server`, each calling the gateway through `client`. */
export function registerTools(server: McpServer, client: LogLensClient, options: ToolOptions): void {
  server.registerTool(
    'list_models',
    {
      title: 'List LogLens models',
      description:
        'Lists every anomaly-detection model registered in LogLens: its name, task, description, which version serves predictions now (servingVersion, e.g. "hdfs-anomaly@3"), its aliases and its newest versions with their status and validation outcome. Start here to learn the model names the other tools take.',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      guarded('list_models', async () => {
        const { models } = await client.listModels();
        return ok({ count: models.length, models: models.map(summarize) });
      }),
  );

  server.registerTool(
    'model_details',
    {
      title: 'Model details',
      description:
        'Details of one model: all its versions (newest first), aliases, the serving version, and for one version (the serving one unless `version` is given) its features, threshold, input/output signature, training metadata and latest validation report (each check pass/warn/fail with a sentence).',
      inputSchema: {
        model: z.string().min(1).max(200).describe('Model name, e.g. "hdfs-anomaly". A version reference such as "hdfs-anomaly@2" also works.'),
        version: z.string().min(1).max(200).optional().describe('Version to detail: a number ("2"), "latest", an alias ("production") or a full reference ("hdfs-anomaly@2"). Default: the serving version, else the latest.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ model, version }) =>
      guarded('model_details', async () => {
        const name = model.split('@')[0];
        const summary = await findModel(client, name);
        const ref = version ? (version.includes('@') ? version : `${name}@${version}`) : model.includes('@') ? model : (summary.servingVersion ?? `${name}@latest`);
        const detail = await client.getVersion(ref);
        const validation = await client.validation(detail.ref).catch((e: unknown) => {
          if (e instanceof LogLensApiError && e.status === 404) return null;
          throw e;
        });
        return ok({
          model: { ...summarize(summary, MAX_VERSIONS_LISTED), versions: summary.versions.slice(-MAX_VERSIONS_LISTED).reverse() },
          version: compactVersion(detail),
          validation,
        });
      }),
  );

  server.registerTool(
    'analyze_logs',
    {
      title: 'Analyze log lines for anomalies',
      description:
        `Runs LogLens anomaly detection now on log lines, given as text or as the path of a log file on the machine running this MCP server (inside the folders it was allowed to read: ${options.fileRoots.join(', ')}). Lines are parsed into templates, grouped into windows (e.g. one HDFS block, or a time window) and each window is scored by the serving model. Returns the windows, anomalous first then by score, each with anomalyScore (0..1), isAnomaly, threshold, the model version, the top features that drove the score (contribution > 0 pushes towards anomalous) and sample templates. At most ${ANALYZE_MAX_RECORDS} records per call; output is bounded and says when windows were left off.`,
      inputSchema: {
        text: z.string().min(1).optional().describe('The log lines, one per line (raw lines, or one JSON object per line with a "message" field), or a JSON array of lines/objects.'),
        path: z.string().min(1).optional().describe('Absolute path of a log file readable by the MCP server (same formats as text). Give text or path, not both.'),
        agent: z.enum(['auto', 'base', 'wifi']).optional().describe('Which analyzer: "base" (generic/HDFS-style logs), "wifi" (Wi-Fi controller logs) or "auto" (detected; default).'),
        source: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().describe('Source name, e.g. "hdfs" or "web-frontend": selects a per-source model when one is bound.'),
        anomalousOnly: z.boolean().optional().describe('Return only the windows flagged anomalous (counts still cover all). Default false.'),
        maxWindows: z.number().int().min(1).max(500).optional().describe('Windows returned at most (default 50).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      guarded('analyze_logs', async () => {
        if ((args.text === undefined) === (args.path === undefined)) throw new ToolInputError('VALIDATION_FAILED', 'give exactly one of "text" (the log lines) or "path" (a log file)');
        const input = args.text !== undefined ? args.text : await readLogFile(args.path ?? '', options.fileRoots);
        let records = parseRecords(input);
        const totalRecords = records.length;
        if (records.length > ANALYZE_MAX_RECORDS) records = records.slice(0, ANALYZE_MAX_RECORDS);
        const reply = await client.analyze(records, { agent: args.agent ?? 'auto', ...(args.source ? { source: args.source } : {}) });
        const templatesOf = new Map<string, Map<string, number>>();
        for (const r of reply.records) {
          if (!r.windowId || !r.template) continue;
          const counts = templatesOf.get(r.windowId) ?? new Map<string, number>();
          counts.set(r.template, (counts.get(r.template) ?? 0) + 1);
          templatesOf.set(r.windowId, counts);
        }
        const anomalous = reply.windows.filter((w) => w.isAnomaly).length;
        const ranked = [...reply.windows].filter((w) => !args.anomalousOnly || w.isAnomaly).sort(byAnomaly);
        const limit = args.maxWindows ?? 50;
        const shown = ranked.slice(0, limit).map((w) => compactWindow(w, templatesOf.get(w.id)));
        const recordErrors = reply.records.filter((r) => r.error).length;
        const { data } = fitList(shown, (windows) => {
          const notes: string[] = [];
          if (totalRecords > records.length) notes.push(`only the first ${records.length} of ${totalRecords} records were analyzed (at most ${ANALYZE_MAX_RECORDS} per call): call again with the rest`);
          if (windows.length < ranked.length) notes.push(`${ranked.length - windows.length} of ${ranked.length} windows left off to keep the answer short (the lowest scores); set anomalousOnly, or analyze fewer lines per call, to see the others`);
          return {
            agent: reply.agent,
            modelVersions: reply.modelVersions,
            records: records.length,
            recordErrors,
            windowsTotal: reply.windows.length,
            windowsAnomalous: anomalous,
            truncated: notes.length > 0,
            ...(notes.length ? { notes } : {}),
            windows,
          };
        });
        return ok(data);
      }),
  );

  server.registerTool(
    'explain_window',
    {
      title: 'Explain a window or rows',
      description:
        'Why something scored as it did, as per-feature attributions (positive contribution = pushed towards anomalous; contributions sum to outputValue − baseValue). Either give `windowId` of a stored window (from recent_anomalies) to get its recorded top features and explanation, or give `version` plus feature `rows` to have the model score and explain them now (the explain endpoint). Windows returned by analyze_logs already carry their top features.',
      inputSchema: {
        windowId: z.string().min(1).max(64).optional().describe('Id of a stored window result (recent_anomalies returns them).'),
        source: z.string().max(64).optional().describe('With windowId: the window’s source, to narrow the search.'),
        version: z.string().min(1).max(200).optional().describe('With rows: the model or version reference to explain with, e.g. "hdfs-anomaly" (serving version) or "hdfs-anomaly@2".'),
        rows: z
          .array(z.union([z.array(z.number()), z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()]))]))
          .min(1)
          .max(100)
          .optional()
          .describe('With version: feature rows, each an array of numbers in the model’s feature order or an object of feature name → value (model_details lists the features).'),
        topFeatures: z.number().int().min(1).max(50).optional().describe('Attributions returned per row, largest first (default 10).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      guarded('explain_window', async () => {
        const top = args.topFeatures ?? 10;
        if (args.windowId !== undefined && args.rows === undefined) {
          const { results } = await client.results({ ...(args.source ? { source: args.source } : {}), limit: 1000 });
          const w = results.find((r) => r.id === args.windowId);
          if (!w) throw new ToolInputError('NOT_FOUND', `no stored window with id "${args.windowId}" among the newest 1000 results${args.source ? ` of source ${args.source}` : ''}; get ids from recent_anomalies`);
          return ok({ window: compactResult(w, top), explanation: w.explanation ?? null });
        }
        if (args.version !== undefined && args.rows !== undefined && args.windowId === undefined) {
          if (args.rows.length > EXPLAIN_MAX_ROWS) throw new ToolInputError('VALIDATION_FAILED', `at most ${EXPLAIN_MAX_ROWS} rows`);
          const reply = await client.explain(args.version, args.rows);
          const rows = reply.scores.map((score, i) => {
              const ex = reply.explanations?.[i];
              return {
                row: i,
                score,
                isAnomaly: reply.isAnomaly?.[i] ?? null,
                ...(ex ? { method: ex.method, approximate: ex.approximate, outputSpace: ex.outputSpace, baseValue: ex.baseValue, outputValue: ex.outputValue, attributions: ex.attributions.slice(0, top), attributionsLeftOff: Math.max(0, ex.attributions.length - top) } : {}),
              };
            });
          const { data } = fitList(rows, (kept) => ({
            modelVersion: reply.modelVersion,
            threshold: reply.threshold,
            truncated: kept.length < rows.length,
            ...(kept.length < rows.length ? { notes: [`rows ${kept.length}–${rows.length - 1} left off to keep the answer short; explain fewer rows or lower topFeatures`] } : {}),
            rows: kept,
          }));
          return ok(data);
        }
        throw new ToolInputError('VALIDATION_FAILED', 'give either windowId (a stored window) or version together with rows (feature rows to explain)');
      }),
  );

  server.registerTool(
    'recent_anomalies',
    {
      title: 'Recent anomalies',
      description:
        'Stored window results from the continuously running log agents, newest first: by default only the windows flagged anomalous. Filter by source, agent and time range. Each result has its id (for explain_window), source, key, time range, record count, score, threshold, model version and top features.',
      inputSchema: {
        source: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().describe('Only this source, e.g. "hdfs".'),
        agent: z.enum(['base', 'wifi']).optional().describe('Only windows of this agent.'),
        from: z.string().optional().describe('ISO 8601 time, e.g. "2026-01-31T00:00:00Z": windows analyzed from then.'),
        to: z.string().optional().describe('ISO 8601 time: windows analyzed until then.'),
        anomalousOnly: z.boolean().optional().describe('Default true; false returns every window.'),
        limit: z.number().int().min(1).max(200).optional().describe('Results at most (default 20).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      guarded('recent_anomalies', async () => {
        const { results } = await client.results({
          ...(args.source ? { source: args.source } : {}),
          ...(args.agent ? { agent: args.agent } : {}),
          ...(args.from ? { from: args.from } : {}),
          ...(args.to ? { to: args.to } : {}),
          ...(args.anomalousOnly === false ? {} : { anomalous: true }),
          limit: args.limit ?? 20,
        });
        const { data } = fitList(results, (kept) => ({
          count: results.length,
          truncated: kept.length < results.length,
          ...(kept.length < results.length ? { notes: [`${results.length - kept.length} older results left off to keep the answer short; narrow with source/from/to`] } : {}),
          results: kept.map((r) => compactResult(r, 5)),
        }));
        return ok(data);
      }),
  );

  server.registerTool(
    'deploy_version',
    {
      title: 'Deploy a model version',
      description:
        'Makes a version the serving version of its model: from then on it scores every prediction and log window. This changes production. Only call with confirm: true after the user explicitly agreed; without it the tool refuses and you must ask the user. Needs an operator API key; with a viewer key the gateway refuses (tell the user, do not retry).',
      inputSchema: {
        ref: z.string().min(1).max(200).describe('The version to serve, e.g. "hdfs-anomaly@3" (or "hdfs-anomaly@candidate" for an alias).'),
        reason: z.string().max(500).optional().describe('Why, in the user’s words; recorded in the model’s history.'),
        expectedCurrent: z.string().max(200).optional().describe('The version you believe serves now (e.g. "hdfs-anomaly@2"); the deploy is refused with CONFLICT if another one does.'),
        confirm: confirmSchema,
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      guarded('deploy_version', async () => {
        if (args.confirm !== true) {
          throw new ToolInputError('CONFIRMATION_REQUIRED', `nothing was changed: deploying ${args.ref} switches which version serves production traffic. Ask the user to confirm deploying ${args.ref}, then call deploy_version again with confirm: true`);
        }
        const reply = await client.deploy(args.ref, { reason: args.reason ?? 'deployed through the MCP server', ...(args.expectedCurrent ? { expectedCurrent: args.expectedCurrent } : {}) });
        return ok({ ...reply });
      }),
  );

  server.registerTool(
    'rollback',
    {
      title: 'Roll a model back',
      description:
        'Serves the previous version of a model again (or the version given in `to`): the undo of deploy_version. This changes production. Only call with confirm: true after the user explicitly agreed; without it the tool refuses and you must ask the user. Needs an operator API key.',
      inputSchema: {
        model: z.string().min(1).max(200).describe('Model name, e.g. "hdfs-anomaly".'),
        to: z.string().max(200).optional().describe('Version to go back to, e.g. "hdfs-anomaly@1"; default: the one served before the current.'),
        reason: z.string().max(500).optional().describe('Why, in the user’s words; recorded in the model’s history.'),
        expectedCurrent: z.string().max(200).optional().describe('The version you believe serves now; refused with CONFLICT if another one does.'),
        confirm: confirmSchema,
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      guarded('rollback', async () => {
        if (args.confirm !== true) {
          throw new ToolInputError('CONFIRMATION_REQUIRED', `nothing was changed: rolling back ${args.model} switches which version serves production traffic. Ask the user to confirm the rollback of ${args.model}${args.to ? ` to ${args.to}` : ''}, then call rollback again with confirm: true`);
        }
        const reply = await client.rollback({
          model: args.model,
          reason: args.reason ?? 'rolled back through the MCP server',
          ...(args.to ? { to: args.to } : {}),
          ...(args.expectedCurrent ? { expectedCurrent: args.expectedCurrent } : {}),
        });
        return ok({ ...reply });
      }),
  );
}

export async function findModel(client: LogLensClient, name: string): Promise<ModelSummaryDto> {
  const { models } = await client.listModels();
  const found = models.find((m) => m.name === name);
  if (!found) throw new ToolInputError('NOT_FOUND', `no model named "${name}"; the models are: ${models.map((m) => m.name).join(', ') || '(none registered)'}`);
  return found;
}

export function summarize(m: ModelSummaryDto, versions = 3): Record<string, unknown> {
  return {
    name: m.name,
    task: m.task,
    description: m.description,
    owner: m.owner,
    servingVersion: m.servingVersion,
    aliases: m.aliases,
    versionCount: m.versions.length,
    newestVersions: m.versions
      .slice(-versions)
      .reverse()
      .map((v) => ({ ref: v.ref, status: v.status, validation: v.validation, createdAt: v.createdAt, archived: v.archivedAt !== null })),
  };
}

/** A version's details without the bulk (known-template lists, baseline quantiles) a model does not need to read. */
export function compactVersion(v: ModelVersionDto): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v.metadata ?? {})) {
    const s = JSON.stringify(value) ?? '';
    metadata[k] = s.length <= 800 ? value : `(${s.length} characters of JSON left off)`;
  }
  const fs = v.featureSchema;
  return {
    ref: v.ref,
    status: v.status,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
    servingSince: v.servingSince,
    aliases: v.aliases,
    tags: v.tags,
    threshold: v.threshold,
    inputName: v.inputName,
    scoreOutput: v.scoreOutput,
    signature: v.signature,
    producer: v.producer,
    sizeBytes: v.sizeBytes,
    sha256: v.sha256,
    featureSchema: fs
      ? {
          version: fs.version,
          featureCount: fs.features.length,
          features: fs.features.slice(0, MAX_FEATURES_LISTED).map((f) => (f.description ? `${f.name}: ${f.description}` : f.name)),
          ...(fs.features.length > MAX_FEATURES_LISTED ? { featuresLeftOff: fs.features.length - MAX_FEATURES_LISTED } : {}),
          ...(fs.knownTemplates ? { knownTemplateCount: fs.knownTemplates.length } : {}),
        }
      : null,
    metadata,
  };
}

function byAnomaly(a: AnalyzeWindowDto, b: AnalyzeWindowDto): number {
  if (a.isAnomaly !== b.isAnomaly) return a.isAnomaly ? -1 : 1;
  return (b.anomalyScore ?? -Infinity) - (a.anomalyScore ?? -Infinity);
}

function features(list: TopFeatureDto[], n: number): Array<Record<string, unknown>> {
  return list.slice(0, n).map((f) => ({ name: f.name, value: f.value, contribution: round(f.contribution), ...(f.template ? { template: f.template } : {}) }));
}

function compactWindow(w: AnalyzeWindowDto, templates: Map<string, number> | undefined): Record<string, unknown> {
  return {
    id: w.id,
    key: w.key,
    start: w.start,
    end: w.end,
    recordCount: w.recordIndexes.length,
    anomalyScore: w.anomalyScore,
    isAnomaly: w.isAnomaly,
    threshold: w.threshold,
    modelVersion: w.modelVersion,
    topFeatures: features(w.topFeatures, 5),
    ...(templates
      ? {
          // the rarest templates first: an unusual line is what makes a window stand out
          sampleTemplates: [...templates.entries()]
            .sort((a, b) => a[1] - b[1])
            .slice(0, 3)
            .map(([template, count]) => ({ template, count })),
        }
      : {}),
  };
}

function compactResult(r: WindowResultDto, top: number): Record<string, unknown> {
  return {
    id: r.id,
    agent: r.agent,
    source: r.source,
    key: r.key,
    start: r.start,
    end: r.end,
    recordCount: r.recordCount,
    anomalyScore: r.anomalyScore,
    isAnomaly: r.isAnomaly,
    threshold: r.threshold,
    modelVersion: r.modelVersion,
    topFeatures: features(r.topFeatures, top),
    analyzedAt: r.analyzedAt,
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/**
 * The file's text, when it lies inside one of `roots` once links are resolved: a model must not be able to have this
 * server read (and send to the gateway, and back into the conversation) any file its user can read.
 */
export async function readLogFile(file: string, roots: string[]): Promise<string> {
  let size: number;
  try {
    const real = await realpath(path.resolve(file));
    const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => r)));
    if (!realRoots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep))) {
      throw new ToolInputError('VALIDATION_FAILED', `${file} is outside the folders this MCP server may read (${roots.join(', ')}); pass the lines as text, or have the user add a --file-root`);
    }
    const s = await stat(real);
    if (!s.isFile()) throw new ToolInputError('VALIDATION_FAILED', `${file} is not a regular file`);
    size = s.size;
  } catch (e) {
    if (e instanceof ToolInputError) throw e;
    throw new ToolInputError('VALIDATION_FAILED', `cannot read ${file}: ${(e as Error).message}`);
  }
  if (size > MAX_FILE_BYTES) throw new ToolInputError('PAYLOAD_TOO_LARGE', `${file} has ${size} bytes; analyze_logs reads files of at most ${MAX_FILE_BYTES} bytes: pass a part of it as text`);
  return readFile(await realpath(path.resolve(file)), 'utf8');
}

/** The client's parseLogRecords, its errors as the tool's VALIDATION_FAILED. */
export function parseRecords(text: string): LogRecordInput[] {
  try {
    return parseLogRecords(text);
  } catch (e) {
    if (e instanceof LogRecordsError) throw new ToolInputError('VALIDATION_FAILED', e.message);
    throw e;
  }
}
