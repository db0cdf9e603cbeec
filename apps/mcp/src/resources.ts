import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { LogLensApiError, type LogLensClient } from '@loglens/client';
import type { ModelSummaryDto, ModelVersionDto, ValidationReportDto } from '@loglens/contracts';
import { compactVersion } from './tools';

/** JSON-RPC error of a resource that does not exist (the MCP specification's "Resource not found"). */
const RESOURCE_NOT_FOUND = -32002;

export const MODEL_CARD_TEMPLATE = 'loglens://models/{name}';
export const QUALITY_TEMPLATE = 'loglens://models/{name}/quality';

/**
 * Resources: a model card per model (markdown), and per model the quality figures the gateway has (JSON): the serving
 * version's validation report, the metrics its trainer recorded, its drift report and its live serving performance.
 * The offline evaluation (docs/quality.md, `npm run eval`) is a file in the repository, not served by the gateway.
 */
export function registerResources(server: McpServer, client: LogLensClient): void {
  const names = async (prefix: string): Promise<string[]> => (await client.listModels()).models.map((m) => m.name).filter((n) => n.startsWith(prefix));

  server.registerResource(
    'model-card',
    new ResourceTemplate(MODEL_CARD_TEMPLATE, {
      list: async () => ({
        resources: (await client.listModels()).models.map((m) => ({
          uri: `loglens://models/${encodeURIComponent(m.name)}`,
          name: m.name,
          title: `${m.name} model card`,
          description: m.description || `${m.task} model`,
          mimeType: 'text/markdown',
        })),
      }),
      complete: { name: names },
    }),
    {
      title: 'Model card',
      description: 'A model’s card: what it detects, owner, serving version, aliases, versions, features, threshold and latest validation.',
      mimeType: 'text/markdown',
    },
    async (uri, variables) => {
      const model = await readModel(client, String(variables['name']));
      const serving = model.servingVersion ?? model.versions.at(-1)?.ref ?? null;
      const version = serving ? await client.getVersion(serving) : null;
      const validation = version ? await validationOf(client, version.ref) : null;
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: modelCard(model, version, validation) }] };
    },
  );

  server.registerResource(
    'model-quality',
    new ResourceTemplate(QUALITY_TEMPLATE, {
      list: async () => ({
        resources: (await client.listModels()).models.map((m) => ({
          uri: `loglens://models/${encodeURIComponent(m.name)}/quality`,
          name: `${m.name}-quality`,
          title: `${m.name} quality report`,
          mimeType: 'application/json',
        })),
      }),
      complete: { name: names },
    }),
    {
      title: 'Model quality report',
      description:
        'What the gateway knows about a model’s quality: the serving version’s validation report, the evaluation metrics its trainer recorded (metadata.metrics), its drift report over the last hour and its live serving performance (latency, error rate).',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const model = await readModel(client, String(variables['name']));
      const ref = model.servingVersion ?? model.versions.at(-1)?.ref;
      if (!ref) throw new McpError(RESOURCE_NOT_FOUND, `model ${model.name} has no versions`);
      const version = await client.getVersion(ref);
      const [validation, drift, performance] = await Promise.all([
        validationOf(client, ref),
        client.drift(ref).catch((e: unknown) => ({ unavailable: (e as Error).message })),
        client.performance().then(
          (p) => p.versions.filter((v) => v.model === model.name).map(({ series: _series, ...rest }) => rest),
          (e: unknown) => ({ unavailable: (e as Error).message }),
        ),
      ]);
      const report = {
        model: model.name,
        version: ref,
        serving: model.servingVersion === ref,
        validation,
        trainingMetrics: version.metadata?.['metrics'] ?? null,
        drift,
        servingPerformance: performance,
        note: 'The offline evaluation against published baselines (docs/quality.md, npm run eval) is not served by the gateway; these are the figures it serves.',
      };
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(report, null, 2) }] };
    },
  );
}

async function readModel(client: LogLensClient, name: string): Promise<ModelSummaryDto> {
  const decoded = decodeURIComponent(name);
  const model = (await client.listModels()).models.find((m) => m.name === decoded);
  if (!model) throw new McpError(RESOURCE_NOT_FOUND, `no model named "${decoded}"`);
  return model;
}

async function validationOf(client: LogLensClient, ref: string): Promise<ValidationReportDto | null> {
  try {
    return await client.validation(ref);
  } catch (e) {
    if (e instanceof LogLensApiError && e.status === 404) return null;
    throw e;
  }
}

/** A model card in markdown, written from the registry's record of the model. */
export function modelCard(m: ModelSummaryDto, v: ModelVersionDto | null, validation: ValidationReportDto | null): string {
  const lines = [`# ${m.name}`, '', m.description || '(no description)', ''];
  lines.push(`- task: ${m.task}`, `- owner: ${m.owner}`, `- created: ${m.createdAt}`, `- serving version: ${m.servingVersion ?? 'none'}`);
  const aliases = Object.entries(m.aliases);
  lines.push(`- aliases: ${aliases.length ? aliases.map(([a, r]) => `${a} → ${r}`).join(', ') : 'none'}`, '');
  lines.push('## Versions', '', '| ref | status | validation | created | aliases |', '|---|---|---|---|---|');
  for (const ver of [...m.versions].reverse().slice(0, 20)) lines.push(`| ${ver.ref} | ${ver.status}${ver.archivedAt ? ' (archived)' : ''} | ${ver.validation ?? '—'} | ${ver.createdAt} | ${ver.aliases.join(', ')} |`);
  if (m.versions.length > 20) lines.push('', `(${m.versions.length - 20} older versions not listed)`);
  if (v) {
    const c = compactVersion(v);
    lines.push('', `## ${v.ref}${m.servingVersion === v.ref ? ' (serving)' : ' (latest; nothing serves)'}`, '');
    lines.push(`- threshold: ${v.threshold ?? 'none'} (score ≥ threshold is anomalous)`, `- input: ${v.inputName}, score output: ${v.scoreOutput}`, `- producer: ${v.producer}, ${v.sizeBytes} bytes, sha256 ${v.sha256}`);
    const fs = c['featureSchema'] as { version: string; featureCount: number; features: string[] } | null;
    if (fs) lines.push(`- features (${fs.version}, ${fs.featureCount}): ${fs.features.join('; ')}`);
    const metrics = v.metadata?.['metrics'];
    if (metrics) lines.push(`- training metrics: ${JSON.stringify(metrics)}`);
  }
  if (validation) {
    lines.push('', `## Validation: ${validation.outcome}`, '', `${validation.validatedAt} by ${validation.validatedBy}`, '');
    for (const ch of validation.checks) lines.push(`- ${ch.outcome} ${ch.check}: ${ch.message}`);
  }
  return lines.join('\n') + '\n';
}
