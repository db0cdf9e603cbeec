import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import type { Browser, Locator, Page } from 'playwright-core';
import { AnalysisSubjects, JetStreamNames, REGISTRY_RESULTS_DURABLE } from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { connectTestNats, dropSchema, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, windowResult, workspaceRoot, type RunningService } from '@loglens/testing';
import { launchChromium } from './browser';

const OPERATOR = 'operator-key-deadletters-e2e-1';
const VIEWER = 'viewer-key-deadletters-e2e-1';

const ws = workspaceRoot();
const artifacts = path.join(ws, 'test-artifacts/admin-e2e');

async function visible(locator: Locator, timeout = 20_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator.first();
}

/**
 * The Dead letters page in Chromium, as an operator finds out why a window result never showed up: against a real
 * registry (Postgres, its results consumer) and gateway serving the built console.
 */
describe('admin console: dead letters, in Chromium', () => {
  const schema = uniqueSchema('e2e_deadletters');
  const source = `dl${Date.now().toString(36)}`;
  let nc: NatsConnection;
  let registry: RunningService;
  let gateway: RunningService;
  let base = '';
  let browser: Browser;
  let page: Page;
  let failures = 0;

  async function step(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      const name = `dead-letters-failure-${++failures}`;
      await page.screenshot({ path: path.join(artifacts, `${name}.png`) }).catch(() => undefined);
      const text = await page.locator('main').textContent({ timeout: 1000 }).catch(() => '(no page text)');
      throw new Error(`${(e as Error).message}\n\nscreenshot: test-artifacts/admin-e2e/${name}.png\npage (${page.url()}): ${(text ?? '').replace(/\s+/g, ' ').slice(0, 1500)}\n\ngateway:\n${gateway.output().split('\n').slice(-30).join('\n')}`);
    }
  }

  const go = (route: string) => page.goto(`${base}${route}`, { waitUntil: 'domcontentloaded' });

  async function useKey(key: string, role: string): Promise<void> {
    await go('/settings');
    await (await visible(page.getByLabel('Gateway API key'))).fill(key);
    await page.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByText(`This key is ${role}`));
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    if (!existsSync(path.join(ws, 'dist/apps/admin/browser/index.html'))) throw new Error('the console is not built: run `npx nx build admin` first');
    browser = await launchChromium();
    nc = await connectTestNats('deadletters-e2e');
    // the page starts empty, as on a fresh install: on a shared test NATS, earlier specs leave dead letters of their own
    await (await nc.jetstreamManager()).streams.purge(JetStreamNames.deadLetter).catch((e: { api_error?: { code?: number } }) => {
      if (e.api_error?.code !== 404) throw e;
    });
    registry = await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema });
    const port = await freePort();
    gateway = await spawnService('gateway', nc, {
      NATS_URL: testNatsUrl(),
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: '127.0.0.1',
      API_KEYS: `operator:${OPERATOR},viewer:${VIEWER}`,
      ADMIN_DIST: path.join(ws, 'dist/apps/admin/browser'),
    });
    base = `http://127.0.0.1:${port}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await registry?.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('shows the empty state, then a malformed result the registry set aside, with its reason, subject and preview', () =>
    step(async () => {
      await useKey(OPERATOR, 'operator');
      await page.getByRole('link', { name: 'Dead letters' }).click();
      await visible(page.getByRole('heading', { name: 'Dead letters' }));
      await visible(page.getByText('No dead letters: no consumer has given up on a message.'));

      const bad = windowResult({ id: `${source}-${'x'.repeat(70)}`, source, anomalyScore: 0.2 });
      await nc.jetstream().publish(`${AnalysisSubjects.results}.${source}`, new TextEncoder().encode(JSON.stringify(bad)));

      const table = page.getByRole('table', { name: /Dead letters/ });
      await waitFor('the dead letter in the table', async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return (await table.count()) > 0 && ((await table.textContent()) ?? '').includes(source) ? true : undefined;
      }, { timeoutMs: 30_000, intervalMs: 500 });
      const row = await visible(table.getByRole('row', { name: new RegExp(source) }));
      const text = (await row.textContent()) ?? '';
      expect(text).toContain('"id" is longer than 64 characters');
      expect(text).toContain(REGISTRY_RESULTS_DURABLE);
      expect(text).toContain('after 1 delivery');
      expect(text).toContain(`${AnalysisSubjects.results}.${source}`);
      expect(text).toContain(`{"id":"${source}-xxxx`);
      expect(await row.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(await page.getByText('No dead letters').count()).toBe(0);
      await page.screenshot({ path: path.join(artifacts, 'dead-letters.png') });

      // filtered by the consumer that set it aside, it stays; the filter offers the consumers seen
      await page.getByLabel('Consumer').click();
      await page.getByRole('option', { name: REGISTRY_RESULTS_DURABLE }).click();
      await visible(table.getByRole('row', { name: new RegExp(source) }));
    }));

  it('offers the page only to operators and admins; a viewer who opens it sees the refusal', () =>
    step(async () => {
      await useKey(VIEWER, 'viewer');
      await visible(page.getByRole('link', { name: 'Health' }));
      expect(await page.getByRole('link', { name: 'Dead letters' }).count()).toBe(0);
      await go('/dead-letters');
      await visible(page.getByText(/needs the operator role/));
    }));
});
