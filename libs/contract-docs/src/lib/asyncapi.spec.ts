import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { ASYNCAPI_FILE, buildAsyncApi, renderAsyncApi, subjectCovers } from './asyncapi';
import { readCatalog } from './subject-catalog';

// jest runs with the project as cwd; the generator works from the workspace root
const ROOT = path.resolve(__dirname, '../../../..');

describe('docs/asyncapi.yaml', () => {
  const cwd = process.cwd();
  let generated: string;
  beforeAll(() => {
    process.chdir(ROOT);
    try {
      generated = renderAsyncApi(buildAsyncApi(ROOT));
    } finally {
      process.chdir(cwd);
    }
  }, 120_000);

  it('is what the contracts generate today (else run npm run asyncapi)', () => {
    const committed = readFileSync(path.join(ROOT, ASYNCAPI_FILE), 'utf8');
    if (committed !== generated) throw new Error(`${ASYNCAPI_FILE} is not current: run npm run asyncapi`);
  });

  it('is a valid AsyncAPI 3.0 document with no errors or warnings', async () => {
    const { document, diagnostics } = await new Parser().parse(generated);
    const problems = diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code} ${d.path.join('.')}: ${d.message}`);
    expect(problems).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  }, 60_000);

  it('has a channel and an operation for every subject of the contracts, request/reply ones with a reply', async () => {
    const { document } = await new Parser().parse(generated);
    const catalog = readCatalog(ROOT);
    expect(catalog.length).toBeGreaterThan(80);
    const addresses = document!.channels().all().map((c) => c.address());
    for (const e of catalog) expect(addresses).toContain(`{namespace}.${e.subject}`);
    const listModels = document!.operations().get('registry.listModels');
    expect(listModels?.reply()?.messages().all()[0]?.payload()?.properties()).toHaveProperty('models');
    expect(listModels?.json()['x-receivers']).toEqual(['registry']);
    // the JetStream subjects name their stream, from the contracts' StreamSubjects table
    expect(document!.channels().get('log.all')?.json()['x-jetstream-stream']).toBe('LOGS');
    expect(document!.channels().get('job.trainWork')?.json()['x-jetstream-stream']).toBe('JOBS');
    expect(document!.channels().get('registry.versionDeployed')?.json()['x-jetstream-stream']).toBeUndefined();
  }, 60_000);

  it('matches NATS subject filters as nats-server does', () => {
    expect(subjectCovers('logs.>', 'logs.wifi')).toBe(true);
    expect(subjectCovers('logs.>', 'logs')).toBe(false);
    expect(subjectCovers('a.*.c', 'a.b.c')).toBe(true);
    expect(subjectCovers('a.*.c', 'a.b.d')).toBe(false);
    expect(subjectCovers('jobs.work.train.v1', 'jobs.work.train.v1')).toBe(true);
    expect(subjectCovers('jobs.work.train.v1', 'jobs.work.train.v1.x')).toBe(false);
  });
});
