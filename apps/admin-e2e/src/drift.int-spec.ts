import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DriftSubjects, InferenceSubjects } from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { buildReferenceProfile } from '@loglens/drift';
import { RpcClient } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, deployVersion, dropSchema, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, workspaceRoot, type RunningService } from '@loglens/testing';
import { createRng } from '@loglens/training';
import { launchChromium } from './browser';

const VIEWER = 'viewer-key-drift-e2e-1';
const NAMES = ['f0', 'f1', 'f2', 'f3'];
const ws = workspaceRoot();
const artifacts = path.join(ws, 'test-artifacts/admin-e2e');

async function visible(locator: Locator, timeout = 20_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator.first();
}

/** Uniform rows on [0, 10); `shiftF2` moves f2 by that much (6 ≈ 2 σ). */
const rowsFrom = (seed: number, n: number, shiftF2 = 0): number[][] => {
  const r = createRng(seed).next;
  return Array.from({ length: n }, () => NAMES.map((_, j) => Math.round(r() * 1000) / 100 + (j === 2 ? shiftF2 : 0)));
};

/**
 * The Drift page in Chromium against a real registry, worker and gateway serving the built console: a version with
 * a reference profile scores rows whose f2 moved by 2 σ (the worker profiles its direct predicts in 1-second buckets),
 * an uploaded version without a reference collects its reference window. The page shows the first's histograms, its
 * time series with the deploy mark, and the second's progress; screenshots in test-artifacts/admin-e2e.
 */
describe('admin console: the Drift page, in Chromium', () => {
  jest.setTimeout(240_000);
  const run = Date.now().toString(36);
  const trained = `e2e-drift-${run}`;
  const uploaded = `e2e-upload-${run}`;
  const schema = uniqueSchema('e2e_drift');
  const services: RunningService[] = [];
  let nc: NatsConnection;
  let rpc: RpcClient;
  let base = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let trainedRef = '';
  let uploadedRef = '';
  let failures = 0;

  async function step(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      const name = `drift-failure-${++failures}`;
      await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true }).catch(() => undefined);
      const text = await page.locator('main').textContent({ timeout: 1000 }).catch(() => '(no page text)');
      throw new Error(`${(e as Error).message}\n\nscreenshot: test-artifacts/admin-e2e/${name}.png\npage (${page.url()}): ${(text ?? '').replace(/\s+/g, ' ').slice(0, 1500)}`);
    }
  }

  /** Full-height screenshot: the app scrolls inside its own frame, so grow the window to the content first. */
  async function shot(name: string): Promise<void> {
    const vp = page.viewportSize() ?? { width: 1280, height: 900 };
    const height = await page.evaluate(() => {
      const content = document.querySelector('mat-sidenav-content');
      const toolbar = document.querySelector('mat-toolbar');
      return (content?.scrollHeight ?? 0) + (toolbar?.getBoundingClientRect().height ?? 0);
    });
    await page.setViewportSize({ width: vp.width, height: Math.min(Math.max(vp.height, height), 4000) });
    await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
    await page.setViewportSize(vp);
  }

  const go = (route: string) => page.goto(`${base}${route}`, { waitUntil: 'domcontentloaded' });

  async function register(model: string, withReference: boolean): Promise<string> {
    const r = createRng(3).next;
    const bytes = writeLogisticRegressionModel({ featureNames: NAMES, mean: NAMES.map(() => 5), scale: NAMES.map(() => 3), weights: NAMES.map(() => r() - 0.5), bias: 0 });
    const referenceProfile = buildReferenceProfile({ featureNames: NAMES, rows: rowsFrom(1, 1000), threshold: 0.9 });
    const ref = await registerVersion(rpc, { model, onnx: bytes, featureNames: NAMES, threshold: 0.9, metadata: withReference ? { referenceProfile } : {}, createdBy: 'drift-e2e' });
    await deployVersion(rpc, ref, { actor: 'drift-e2e' });
    return ref;
  }

  async function predict(model: string, rows: number[][]): Promise<void> {
    for (let i = 0; i < rows.length; i += 20) await rpc.call(InferenceSubjects.predict, { model, rows: rows.slice(i, i + 20) }, { timeoutMs: 10_000 });
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    if (!existsSync(path.join(ws, 'dist/apps/admin/browser/index.html'))) throw new Error('the console is not built: run `npx nx build admin` first');
    browser = await launchChromium();
    nc = await connectTestNats('drift-e2e');
    rpc = new RpcClient(nc, 20_000);
    const nats = { NATS_URL: testNatsUrl() };
    services.push(await spawnService('registry', nc, { ...nats, DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema, DRIFT_REFERENCE_WINDOWS: '1000', DRIFT_CHECK_MS: '1000' }));
    services.push(await spawnService('inference-worker', nc, { ...nats, WORKER_DRIFT_BUCKET_MS: '1000' }));
    const port = await freePort();
    services.push(
      await spawnService('gateway', nc, { ...nats, GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1', API_KEYS: `viewer:${VIEWER}`, ADMIN_DIST: path.join(ws, 'dist/apps/admin/browser') }),
    );
    base = `http://127.0.0.1:${port}`;
    trainedRef = await register(trained, true);
    uploadedRef = await register(uploaded, false);
    // the worker reads each version's reference on its first predict: predict until both show up in the reports
    let seed = 100;
    const from = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    await waitFor('live windows of both versions', async () => {
      await predict(trained, rowsFrom(seed++, 40, 6));
      await predict(uploaded, rowsFrom(seed++, 20));
      const to = new Date(Date.now() + 2000).toISOString();
      const [a, b] = await Promise.all([trainedRef, uploadedRef].map((ref) => rpc.call(DriftSubjects.report, { ref, from: new Date(from).toISOString(), to }, { timeoutMs: 10_000 })));
      return (a.report?.currentWindows ?? 0) >= 200 && (b.referenceWindow?.collected ?? 0) > 0 ? true : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of services.reverse()) await s.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('shows the drifted version’s worst features as histograms, its drift over time with the deploy, and the uploaded version’s reference window', () =>
    step(async () => {
      await go('/settings');
      await (await visible(page.getByLabel('Gateway API key'))).fill(VIEWER);
      await page.getByRole('button', { name: 'Save' }).click();
      await visible(page.getByText('This key is viewer'));
      await go('/drift');
      await visible(page.getByRole('heading', { name: 'Drift' }));
      const card = await visible(page.getByRole('article', { name: trainedRef }), 30_000);
      expect(await card.textContent()).toMatch(/\d drifted|dataset drifted/);
      // the worst feature first: f2, whose mean moved by 2 σ
      const first = await visible(card.getByRole('img', { name: /^Histogram of / }));
      expect(await first.getAttribute('aria-label')).toBe('Histogram of f2: reference vs current share per bin');
      expect(await card.getByRole('img', { name: /^Histogram of / }).count()).toBe(4);
      const series = await visible(card.getByRole('img', { name: 'Drift of f2 over time with serving version changes' }));
      await waitFor('the series drawn with its deploy mark', async () => ((await series.locator('circle.over').count()) > 0 && (await series.locator('.deploy').count()) > 0 ? true : undefined), { timeoutMs: 20_000, intervalMs: 300 });
      expect(await series.locator('.deploy title').first().textContent()).toContain(`deploy — → ${trainedRef}`);
      const row = await visible(page.getByRole('row', { name: new RegExp(uploadedRef) }));
      expect(await row.textContent()).toMatch(/collecting its reference window: \d+ of 1000 live windows/);
      await visible(page.getByRole('progressbar', { name: `Reference window of ${uploadedRef}` }));
      await shot('drift');
      await card.screenshot({ path: path.join(artifacts, 'drift-version.png') });
    }));
});
