import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ExperimentDto } from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { RpcClient } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import {
  connectTestNats,
  deployVersion,
  dropSchema,
  registerVersion,
  spawnService,
  testDatabaseUrl,
  testNatsUrl,
  uniqueSchema,
  waitFor,
  workspaceRoot,
  type RunningService,
} from '@loglens/testing';
import { launchChromium } from './browser';

const OPERATOR = 'operator-key-experiments-e2e-1';
const VIEWER = 'viewer-key-experiments-e2e-1';
const MODEL = 'exp-lr';

const ws = workspaceRoot();
const artifacts = path.join(ws, 'test-artifacts/admin-e2e');

/** The same logistic regression with another bias: the candidate (bias 1) flags rows the control (bias 0) does not. */
const model = (bias: number) =>
  writeLogisticRegressionModel({
    featureNames: ['f0', 'f1', 'f2'],
    mean: [0, 0, 0],
    scale: [1, 1, 1],
    weights: [0.1, 0.1, 0.1],
    bias,
    metadataProps: {},
  });

async function visible(locator: Locator, timeout = 20_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator.first();
}

interface ReportBody {
  arms: Array<{ version: string; requests: number; anomalies: number }>;
  comparisons: Array<{ anomalyRate: { nA: number; nB: number } }>;
}

/**
 * The Experiments pages in Chromium, as an operator tries a retrained version on part of the traffic: against a real
 * registry (Postgres), an inference worker (onnxruntime) and the gateway serving the built console.
 */
describe('admin console: experiments, in Chromium', () => {
  const schema = uniqueSchema('e2e_experiments_console');
  let nc: NatsConnection;
  let rpc: RpcClient;
  const services: RunningService[] = [];
  let gateway: RunningService;
  let base = '';
  let browser: Browser;
  let page: Page;
  let failures = 0;
  let experimentId = '';

  async function step(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      const name = `experiments-failure-${++failures}`;
      await page.screenshot({ path: path.join(artifacts, `${name}.png`) }).catch(() => undefined);
      const text = await page
        .locator('main')
        .textContent({ timeout: 1000 })
        .catch(() => '(no page text)');
      throw new Error(
        `${(e as Error).message}\n\nscreenshot: test-artifacts/admin-e2e/${name}.png\npage (${page.url()}): ${(text ?? '').replace(/\s+/g, ' ').slice(0, 1500)}\n\ngateway:\n${gateway.output().split('\n').slice(-30).join('\n')}`,
      );
    }
  }

  const go = (route: string) => page.goto(`${base}${route}`, { waitUntil: 'domcontentloaded' });

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

  async function api<T>(
    method: string,
    route: string,
    key: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async function useKey(key: string, role: string): Promise<void> {
    await go('/settings');
    await (await visible(page.getByLabel('Gateway API key'))).fill(key);
    await page.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByText(`This key is ${role}`));
  }

  async function register(bias: number): Promise<void> {
    // a threshold, so replies carry isAnomaly and the report counts anomalies per arm
    await registerVersion(rpc, {
      model: MODEL,
      onnx: model(bias),
      featureNames: ['f0', 'f1', 'f2'],
      schemaVersion: 'e2e.v1',
      featureDtype: 'float32',
      threshold: 0.6,
      createdBy: 'e2e',
    });
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    if (!existsSync(path.join(ws, 'dist/apps/admin/browser/index.html')))
      throw new Error('the console is not built: run `npx nx build admin` first');
    browser = await launchChromium();
    nc = await connectTestNats('experiments-console-e2e');
    rpc = new RpcClient(nc, 20_000);
    services.push(
      await spawnService('registry', nc, {
        NATS_URL: testNatsUrl(),
        DATABASE_URL: testDatabaseUrl(),
        DATABASE_SCHEMA: schema,
      }),
    );
    services.push(
      await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl(), INFERENCE_THREADS: '1' }),
    );
    const port = await freePort();
    gateway = await spawnService('gateway', nc, {
      NATS_URL: testNatsUrl(),
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: '127.0.0.1',
      API_KEYS: `operator:${OPERATOR},viewer:${VIEWER}`,
      ADMIN_DIST: path.join(ws, 'dist/apps/admin/browser'),
    });
    services.push(gateway);
    base = `http://127.0.0.1:${port}`;
    await register(0);
    await register(1);
    await deployVersion(rpc, `${MODEL}@1`, { actor: 'e2e' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(services.map((s) => s.stop()));
    await nc?.close();
    await dropSchema(schema);
  });

  it('starts an A/B test from the form after its own checks, and shows the server refusing a second one for the model', () =>
    step(async () => {
      await useKey(OPERATOR, 'operator');
      await page.getByRole('link', { name: 'Experiments' }).click();
      await visible(page.getByRole('heading', { name: 'Experiments' }));
      await visible(page.getByText('No experiments yet'));
      await page.getByRole('link', { name: 'New experiment' }).click();

      const form = await visible(page.getByRole('form', { name: 'Start an experiment' }));
      await form.getByLabel('Model').fill(MODEL);
      await page.getByRole('radio', { name: 'A/B test' }).click();
      await form.getByLabel('Candidate 1 version').fill('2');
      await form.getByLabel('Weight (%)').fill('150');
      await page.getByRole('button', { name: 'Start the experiment' }).click();
      // the form's own checks, before anything travels
      await visible(page.getByText('Between 0 and 100.'));
      await form.getByLabel('Weight (%)').fill('50');
      await page.getByRole('button', { name: 'Add a candidate' }).click();
      await form.getByLabel('Candidate 2 version').fill('2');
      await form.getByLabel('Weight (%)').nth(1).fill('60');
      await page.getByRole('button', { name: 'Start the experiment' }).click();
      const problems = await visible(page.getByRole('alert', { name: 'What to fix' }));
      expect(await problems.textContent()).toContain("The candidates' weights add up to 110 %: at most 100.");
      expect(await problems.textContent()).toContain('Two candidates name the same version.');
      await page.getByRole('button', { name: 'Remove candidate 2' }).click();
      await form.getByLabel('Min samples').fill('20');
      await page.getByRole('button', { name: 'Start the experiment' }).click();

      await page.waitForURL(/\/experiments\/[0-9a-f-]{36}$/, { timeout: 20_000 });
      experimentId = page.url().split('/').pop() ?? '';
      await visible(page.getByRole('heading', { name: `Experiment on ${MODEL}` }));
      expect(await (await visible(page.getByTestId('experiment-state'))).textContent()).toBe('running');
      await visible(page.getByText(`${MODEL}@2 50 % · ${MODEL}@1 (control) 50 %`));
      const listed = await api<ExperimentDto>('GET', `/model-management/experiments/${experimentId}`, VIEWER);
      expect(listed.body).toMatchObject({
        model: MODEL,
        kind: 'ab',
        control: `${MODEL}@1`,
        candidates: [{ version: `${MODEL}@2`, weight: 50 }],
        state: 'running',
      });

      // one experiment per model: the gateway's 409 is shown as it says it
      await go('/experiments/new');
      const again = await visible(page.getByRole('form', { name: 'Start an experiment' }));
      await again.getByLabel('Model').fill(MODEL);
      await again.getByLabel('Candidate 1 version').fill('2');
      await page.getByRole('button', { name: 'Start the experiment' }).click();
      const refusal = await visible(
        page.getByRole('alert').filter({ hasText: 'The gateway refused the experiment (409)' }),
      );
      expect(await refusal.textContent()).toContain(experimentId);
    }));

  it('shows the per-arm report of real predictions with the significance worded for an operator, live', () =>
    step(async () => {
      // 200 predictions through the gateway, each with its own route key; every second one a row both arms flag
      const total = 200;
      const answeredBy = new Map<string, number>();
      for (let i = 0; i < total; i++) {
        const res = await fetch(`${base}/api/v1/models/predict`, {
          method: 'POST',
          headers: {
            'x-api-key': VIEWER,
            'content-type': 'application/json',
            'x-loglens-route': `user-${i}`,
          },
          body: JSON.stringify({ model: MODEL, rows: [i % 2 === 0 ? [0.5, 1, 2] : [5, 5, 5]] }),
        });
        expect(res.status).toBe(200);
        const arm = res.headers.get('x-loglens-model-version') ?? 'none';
        answeredBy.set(arm, (answeredBy.get(arm) ?? 0) + 1);
      }
      expect([...answeredBy.keys()].sort()).toEqual([`${MODEL}@1`, `${MODEL}@2`]);

      // the workers report their counts every second: wait until the registry has them all
      const report = await waitFor(
        'the report to count every prediction',
        async () => {
          const r = await api<ReportBody>(
            'GET',
            `/model-management/experiments/${experimentId}/report`,
            VIEWER,
          );
          return r.body.arms.reduce((s, a) => s + a.requests, 0) === total ? r.body : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      const [control, candidate] = report.arms;
      expect(control.requests).toBe(answeredBy.get(`${MODEL}@1`));
      expect(candidate.requests).toBe(answeredBy.get(`${MODEL}@2`));

      await go(`/experiments/${experimentId}`);
      const arms = await visible(page.getByRole('table', { name: 'Per arm' }));
      await waitFor(
        'the page to show the counts',
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          const text = (await arms.textContent()) ?? '';
          return text.includes(`${MODEL}@1 control${control.requests}`) &&
            text.includes(`${MODEL}@2 candidate${candidate.requests}`)
            ? true
            : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      const controlRow =
        (await arms.getByRole('row', { name: new RegExp(`${MODEL}@1 control`) }).textContent()) ?? '';
      expect(controlRow).toContain(
        `${control.anomalies} (${((control.anomalies / control.requests) * 100).toFixed(1)} %)`,
      );

      const significance = await visible(
        page.getByRole('region', { name: `Significance: ${MODEL}@2 against ${MODEL}@1` }),
      );
      const words = ((await significance.textContent()) ?? '').replace(/\s+/g, ' ');
      // the candidate flags the rows the control lets pass: a real difference in anomaly rate, with the sample sizes
      expect(words).toContain(`significant: the candidate's anomaly rate is higher`);
      expect(words).toContain(`n = ${control.requests} control, ${candidate.requests} candidate`);
      // nothing failed, so the error-rate difference is not (and cannot yet be) significant
      expect(words).toMatch(/Error rate ?0\.0 % vs 0\.0 % — no difference/);
      // latency: whichever way the real timings fall, worded with the sample sizes
      expect(words).toMatch(
        /Latency ?(not significant yet \(n = |significant: the candidate is (slower|faster) \()/,
      );
      await visible(page.getByText(/Keep the control|Recommended:|No winner yet/));
      await shot('experiments-detail');
    }));

  it('follows a change made elsewhere without a reload, and aborts after a confirmation', () =>
    step(async () => {
      // another operator pauses it: the open page learns it from the live events
      expect(
        (
          await api('POST', `/model-management/experiments/${experimentId}/pause`, OPERATOR, {
            reason: 'paused by a colleague',
          })
        ).status,
      ).toBe(200);
      await waitFor(
        'the page to show the pause',
        async () =>
          (await page.getByTestId('experiment-state').textContent()) === 'paused' ? true : undefined,
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      const steps = page.getByRole('table', { name: 'Steps, oldest first' });
      await visible(steps.getByRole('row', { name: /pause.*paused by a colleague/ }));
      await visible(page.getByRole('button', { name: 'Resume' }));

      await page.getByRole('button', { name: 'Abort' }).click();
      const dialog = await visible(page.getByRole('dialog'));
      expect(await dialog.textContent()).toContain(`The control ${MODEL}@1 answers all the traffic again`);
      await dialog.getByLabel(/Why/).fill('candidate flags too much');
      await dialog.getByRole('button', { name: 'Abort' }).click();
      await waitFor(
        'the page to show the abort',
        async () =>
          (await page.getByTestId('experiment-state').textContent()) === 'aborted' ? true : undefined,
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      await visible(steps.getByRole('row', { name: /abort.*candidate flags too much/ }));
      expect(await page.getByRole('group', { name: 'Experiment actions' }).count()).toBe(0);
      const after = await api<ExperimentDto>('GET', `/model-management/experiments/${experimentId}`, VIEWER);
      expect(after.body.state).toBe('aborted');
      expect(after.body.steps.map((s) => s.action)).toEqual(['start', 'pause', 'abort']);

      // the list shows it, with the filter by state
      await page.getByRole('link', { name: 'All experiments' }).click();
      const table = await visible(page.getByRole('table', { name: 'Experiments, newest first' }));
      const row = await visible(table.getByRole('row', { name: new RegExp(MODEL) }));
      expect(await row.textContent()).toMatch(/A\/B test.*aborted.*abort/);
      await shot('experiments-list');
      await page.getByLabel('State').click();
      await page.getByRole('option', { name: 'running' }).click();
      await visible(page.getByText('No experiment matches the filter.'));
    }));

  it('shows a viewer the experiments and the report but no way to start or change one', () =>
    step(async () => {
      await useKey(VIEWER, 'viewer');
      await page.getByRole('link', { name: 'Experiments' }).click();
      await visible(page.getByRole('table', { name: 'Experiments, newest first' }));
      expect(await page.getByRole('link', { name: 'New experiment' }).count()).toBe(0);

      // a running experiment, started through the API: the viewer sees it, without its actions
      const second = await api<ExperimentDto>('POST', '/model-management/experiments', OPERATOR, {
        model: MODEL,
        kind: 'shadow',
        candidates: [{ version: '2', weight: 0 }],
        shadow: { percent: 100 },
        criteria: { maxErrorRate: 0.01, maxP99Ms: 500, minSamples: 20 },
      });
      expect(second.status).toBe(201);
      // the open list learns of it from the live events, without a reload
      await visible(page.getByRole('row', { name: /Shadow.*running/ }));
      await go(`/experiments/${second.body.id}`);
      await visible(page.getByRole('table', { name: 'Per arm' }));
      expect(await page.getByTestId('experiment-state').textContent()).toBe('running');
      expect(await page.getByRole('button', { name: 'Abort' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
      await go('/experiments/new');
      await visible(page.getByText(/viewer.*key: it can read experiments but not start them/));
      expect(await page.getByRole('form', { name: 'Start an experiment' }).count()).toBe(0);
      expect(
        (await api('POST', `/model-management/experiments/${second.body.id}/abort`, VIEWER, {})).status,
      ).toBe(403);
      expect(
        (await api('POST', `/model-management/experiments/${second.body.id}/abort`, OPERATOR, {})).status,
      ).toBe(200);
    }));
});
