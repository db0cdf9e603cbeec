import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { freePort } from '@loglens/dev-infra';
import { connectTestNats, dropSchema, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, workspaceRoot, type RunningService } from '@loglens/testing';
import { launchChromium } from './browser';

const ADMIN = 'admin-key-keys-e2e-1';
const VIEWER = 'viewer-key-keys-e2e-1';

const ws = workspaceRoot();
const artifacts = path.join(ws, 'test-artifacts/admin-e2e');

async function visible(locator: Locator, timeout = 20_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator.first();
}

/**
 * The Keys and Audit pages in Chromium, as an admin hands a key to a dashboard and takes it back: against a real
 * registry (Postgres) and gateway serving the built console — no models or agents needed.
 */
describe('admin console: API keys and the audit log, in Chromium', () => {
  const schema = uniqueSchema('e2e_keys');
  let nc: NatsConnection;
  let registry: RunningService;
  let gateway: RunningService;
  let base = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let created = '';
  let failures = 0;

  async function step(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      const name = `keys-failure-${++failures}`;
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

  const status = async (key: string) => (await fetch(`${base}/api/v1/auth/whoami`, { headers: { 'x-api-key': key } })).status;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    if (!existsSync(path.join(ws, 'dist/apps/admin/browser/index.html'))) throw new Error('the console is not built: run `npx nx build admin` first');
    browser = await launchChromium();
    nc = await connectTestNats('keys-e2e');
    registry = await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema });
    const port = await freePort();
    gateway = await spawnService('gateway', nc, {
      NATS_URL: testNatsUrl(),
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: '127.0.0.1',
      API_KEYS: `admin:${ADMIN},viewer:${VIEWER}`,
      ADMIN_DIST: path.join(ws, 'dist/apps/admin/browser'),
    });
    base = `http://127.0.0.1:${port}`;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await registry?.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('creates a key for an admin, shows it once with a copy button, and lists it without the key', () =>
    step(async () => {
      await useKey(ADMIN, 'admin');
      await page.getByRole('link', { name: 'API keys' }).click();
      await visible(page.getByRole('heading', { name: 'API keys' }));
      await page.getByLabel('Name').fill('grafana');
      await page.getByRole('button', { name: 'Create key' }).click();
      const shown = await visible(page.locator('code.new-key'));
      created = ((await shown.textContent()) ?? '').trim();
      expect(created).toMatch(/^llk_[A-Za-z0-9_-]{43}$/);
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await visible(page.getByRole('button', { name: 'Copied' }));
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(created);
      await page.screenshot({ path: path.join(artifacts, 'keys-created.png') });
      expect(await status(created)).toBe(200);

      await page.getByRole('button', { name: 'Done' }).click();
      const row = await visible(page.getByRole('row', { name: /grafana/ }));
      expect(await row.textContent()).toContain('viewer');
      expect(await page.locator('main').textContent()).not.toContain(created);
    }));

  it('revokes the key after a confirm step, and the gateway refuses it', () =>
    step(async () => {
      await page.getByRole('button', { name: 'Revoke grafana' }).click();
      const dialog = await visible(page.getByRole('dialog'));
      expect(await dialog.textContent()).toContain('Revoke the viewer key "grafana"');
      await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
      await visible(page.getByText('grafana was revoked.'));
      await page.getByRole('row', { name: /grafana/ }).waitFor({ state: 'detached' });
      await waitFor('the gateway to refuse the revoked key', async () => ((await status(created)) === 401 ? true : undefined), { timeoutMs: 10_000 });
    }));

  it('shows both key changes in the audit log, filtered by action', () =>
    step(async () => {
      await page.getByRole('link', { name: 'Audit log' }).click();
      await visible(page.getByRole('heading', { name: 'Audit log' }));
      const table = await visible(page.getByRole('table', { name: /Audit entries/ }));
      await waitFor('both key changes in the table', async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        const text = (await table.textContent()) ?? '';
        return text.includes('key.create') && text.includes('key.revoke') ? true : undefined;
      }, { timeoutMs: 15_000, intervalMs: 500 });
      await page.getByLabel('Action').click();
      await page.getByRole('option', { name: 'key.revoke' }).click();
      await waitFor('only the revoke', async () => {
        const text = (await table.textContent()) ?? '';
        return !text.includes('key.create') && text.includes('key.revoke') ? true : undefined;
      }, { timeoutMs: 10_000 });
      expect(await table.textContent()).toContain('key:');
      await page.screenshot({ path: path.join(artifacts, 'audit.png') });
    }));

  it('offers neither page to a viewer, and the gateway refuses the viewer there', () =>
    step(async () => {
      await useKey(VIEWER, 'viewer');
      await visible(page.getByRole('link', { name: 'Health' }));
      expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
      await go('/keys');
      await visible(page.getByText(/needs the admin role/));
    }));
});
