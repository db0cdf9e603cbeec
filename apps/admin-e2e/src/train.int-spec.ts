import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { LogSubjects } from '@loglens/contracts';
import { StackProcess, connectTestNats, uniqueSchema, workspaceRoot } from '@loglens/testing';
import { launchChromium } from './browser';

const VIEWER = 'viewer-key-admin-e2e-train';
const OPERATOR = 'operator-key-admin-e2e-train';

const ws = workspaceRoot();
const artifacts = path.join(ws, 'test-artifacts/admin-e2e');
const run = Date.now().toString(36);
const MODEL = `app-${run}`;
const SOURCE = `checkout${run}`;
/** a second source whose lines reach LOGS over JetStream, as a shipper sends them */
const STREAMED = `orders${run}`;

/**
 * Six hours of an ordinary web application's log, one ISO-stamped line every 4-10 s (about 3,000 lines): a handful
 * of line types with varying values, as a person would export from their own service. Deterministic.
 */
function appLog(lines = 3000): string {
  let x = 7;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: string[] = [];
  let t = Date.UTC(2026, 10, 30, 6, 0, 0);
  for (let i = 0; i < lines; i++) {
    t += 4000 + Math.floor(rnd() * 6000);
    const r = rnd();
    const message =
      r < 0.45
        ? `INFO [http] GET /api/items/${Math.floor(rnd() * 5000)} 200 in ${Math.floor(rnd() * 90)} ms`
        : r < 0.7
          ? `INFO [auth] user u${Math.floor(rnd() * 300)} logged in from 10.0.${Math.floor(rnd() * 9)}.${Math.floor(rnd() * 250)}`
          : r < 0.9
            ? `INFO [cache] refresh finished: ${Math.floor(rnd() * 900)} keys in ${Math.floor(rnd() * 40)} ms`
            : r < 0.98
              ? `INFO [http] POST /api/orders 201 in ${Math.floor(rnd() * 200)} ms`
              : `WARN [db] slow query on orders took ${1000 + Math.floor(rnd() * 900)} ms`;
    out.push(`${new Date(t).toISOString()} ${message}`);
  }
  return out.join('\n') + '\n';
}

async function visible(locator: Locator, timeout = 20_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator.first();
}

describe('admin console in Chromium: train a model from a log file, watch the job, deploy and bind it', () => {
  const stack = new StackProcess();
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const log = appLog();
  const lineCount = log.trim().split('\n').length;
  let failures = 0;
  /** the first job's own address (`/train?job=<id>`) */
  let jobRoute = '';

  async function step(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      const name = `train-failure-${++failures}`;
      await page.screenshot({ path: path.join(artifacts, `${name}.png`) }).catch(() => undefined);
      const text = await page
        .locator('main')
        .textContent({ timeout: 1000 })
        .catch(() => '(no page text)');
      const tail = stack.output().split('\n').slice(-40).join('\n');
      throw new Error(
        `${(e as Error).message}\n\nscreenshot: test-artifacts/admin-e2e/${name}.png\npage (${page.url()}): ${(text ?? '').replace(/\s+/g, ' ').slice(0, 1500)}\n\nstack output (last 40 lines):\n${tail}`,
      );
    }
  }

  const go = (route: string) => page.goto(`${stack.url}${route}`, { waitUntil: 'domcontentloaded' });

  async function shot(name: string): Promise<void> {
    const vp = page.viewportSize() ?? { width: 1280, height: 900 };
    await page.waitForTimeout(300);
    const height = await page.evaluate(() => {
      const content = document.querySelector('mat-sidenav-content');
      const toolbar = document.querySelector('mat-toolbar');
      return (content?.scrollHeight ?? 0) + (toolbar?.getBoundingClientRect().height ?? 0);
    });
    await page.setViewportSize({ width: vp.width, height: Math.min(Math.max(vp.height, height), 4000) });
    await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
    await page.setViewportSize(vp);
  }

  async function useKey(key: string, role: string): Promise<void> {
    await go('/settings');
    const field = await visible(page.getByLabel('Gateway API key'));
    await field.fill(key);
    await page.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByText(`This key is ${role}`));
  }

  async function confirmDialog(confirm: string, reason?: string): Promise<string> {
    const dialog = await visible(page.getByRole('dialog'));
    const text = (await dialog.textContent()) ?? '';
    if (reason !== undefined) await dialog.getByLabel(/^Why/).fill(reason);
    await dialog.getByRole('button', { name: confirm, exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    return text.replace(/\s+/g, ' ');
  }

  /** Publishes lines to JetStream as `logs.generic.<source>`, as a log shipper would. */
  async function publish(source: string, lines: string[]): Promise<void> {
    const url =
      process.env['NATS_URL'] ?? /started nats-server with JetStream at (\S+)/.exec(stack.output())?.[1];
    if (!url) throw new Error('no NATS URL: neither NATS_URL nor the stack output names one');
    // with the stack's operator credential when its NATS requires one
    const nc = await connectTestNats('admin-e2e-train', url, stack.natsCredentialsDir());
    try {
      const js = nc.jetstream();
      for (let i = 0; i < lines.length; i += 500) {
        await Promise.all(
          lines
            .slice(i, i + 500)
            .map((l) => js.publish(`${LogSubjects.generic}.${source}`, new TextEncoder().encode(l))),
        );
      }
    } finally {
      await nc.close();
    }
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    browser = await launchChromium();
    if (!existsSync(path.join(ws, 'dist/apps/admin/browser/index.html'))) {
      throw new Error('the console is not built: run `npx nx build admin` first');
    }
    await stack.start({
      ...process.env,
      DATABASE_SCHEMA: uniqueSchema('e2e_train'),
      API_KEYS: `viewer:${VIEWER},operator:${OPERATOR}`,
      LOGLENS_SEED_MODELS: '1',
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      // a 4xx the page shows to the person is the browser's console error too: only script errors count here
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack.interrupt();
  });

  it('starts a train job from an uploaded log file and follows it live until the version is registered', () =>
    step(async () => {
      await useKey(OPERATOR, 'operator');
      await visible(page.getByRole('status', { name: /Live updates on/ }));
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Train a model' })
        .click();
      await visible(page.getByRole('heading', { name: 'Train a model', level: 1 }));

      await page.getByLabel('Model name').fill(MODEL);
      await visible(page.getByText(`Creates the model ${MODEL}.`));
      await page.getByRole('radio', { name: 'A log file' }).click();
      await page
        .locator('ll-drop-zone input[type=file]')
        .setInputFiles({ name: 'checkout.log', mimeType: 'text/plain', buffer: Buffer.from(log) });
      await visible(page.getByText('checkout.log'));
      await page.getByRole('textbox', { name: /Sources/ }).fill(SOURCE);
      await page.getByText('Advanced', { exact: true }).click();
      await page.getByLabel('Window length (seconds)').fill('60');
      await shot('train-form');

      // every state the job view shows, in order: the job is followed live, not only read once it ended
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as Record<string, unknown>)['__jobStates'] = seen;
        new MutationObserver(() => {
          const state = document.querySelector('ll-job-status .job-state')?.textContent?.trim();
          const stage = document.querySelector('ll-job-status .progress p')?.textContent?.trim();
          const now = [state, stage].filter(Boolean).join(': ');
          if (now && seen[seen.length - 1] !== now) seen.push(now);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const started = Date.now();
      await page.getByRole('button', { name: 'Start training' }).click();
      await page.waitForURL(/[?&]job=[0-9a-f-]{36}/);
      jobRoute = new URL(page.url()).pathname + new URL(page.url()).search;
      await visible(page.getByRole('heading', { name: `Job for ${MODEL}` }));
      await visible(page.getByRole('heading', { name: `Registered ${MODEL}@1` }), 120_000);
      expect(Date.now() - started).toBeLessThan(120_000);
      const state = page.locator('ll-job-status .job-state');
      expect((await state.textContent())?.trim()).toBe('succeeded');
      const states = (await page.evaluate(
        () => (window as unknown as Record<string, unknown>)['__jobStates'],
      )) as string[];
      expect(states[0]).toMatch(/^(queued|running)/);
      expect(states[states.length - 1]).toBe('succeeded');
    }));

  it('shows the result: validation, the training summary and the baseline', () =>
    step(async () => {
      const fact = async (name: string) =>
        ((await page.locator(`ll-training-summary [data-fact="${name}"]`).textContent()) ?? '').trim();
      expect(await fact('lines')).toBe(lineCount.toLocaleString('en-US'));
      expect(await fact('window')).toBe('1 min');
      expect(Number((await fact('windows')).replace(/,/g, ''))).toBeGreaterThanOrEqual(20);
      expect(Number(await fact('templates'))).toBeGreaterThan(0);
      expect(await fact('threshold')).toMatch(/^\d/);
      expect(await fact('anomaly-rate')).toMatch(/%/);
      await visible(page.getByText(/validation passed/));
      const checks = page.getByRole('table', { name: `Validation checks of ${MODEL}@1` });
      expect(
        (
          await checks.locator('tr.check-row[data-check="test-inference"] .outcome-chip').textContent()
        )?.trim(),
      ).toBe('pass');
      const baseline = page.getByRole('table', { name: `Training baseline of ${MODEL}@1` });
      await visible(baseline.locator('tr.baseline-row[data-feature="events"]'));
      expect(await baseline.locator('tr.baseline-row').count()).toBeGreaterThan(5);
      // the template columns say which line type each counts
      expect(
        await baseline.locator('tr.baseline-row[data-feature="t01"] .description').textContent(),
      ).toMatch(/GET|user|cache|POST/);
      expect(
        await baseline.locator('tr.baseline-row[data-feature="events"] .description').textContent(),
      ).toContain('events in the window');
      // and the job is in the recent jobs, succeeded
      await visible(page.locator('tr.job-row[data-state="succeeded"]', { hasText: MODEL }));
      await shot('train-result');
    }));

  it('deploys the version and binds the source after confirm steps', () =>
    step(async () => {
      await page.getByRole('button', { name: 'Deploy', exact: true }).click();
      const deploy = await confirmDialog('Deploy', 'learned from the checkout log');
      expect(deploy).toContain(`Serve ${MODEL}@1? No version of ${MODEL} is serving now.`);
      await visible(page.locator('ll-job-result .version-status', { hasText: 'serving' }), 30_000);

      await page.getByRole('button', { name: 'Bind to sources' }).click();
      const bind = await confirmDialog('Bind', 'its own model');
      expect(bind).toMatch(new RegExp(`${SOURCE} scored by\\s*the default model\\s*→\\s*${MODEL}`));
      await visible(page.getByRole('button', { name: 'Sources bound' }));
      await visible(page.getByText(`${SOURCE} scored by ${MODEL}`));
    }));

  it('lists the binding on the Models page, and unbinds and re-binds it there', () =>
    step(async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
      const row = page.locator(`tr.binding-row[data-source="${SOURCE}"]`);
      await visible(row);
      const text = ((await row.textContent()) ?? '').replace(/\s+/g, ' ');
      expect(text).toContain(MODEL);
      expect(text).toContain('base');
      expect(text).toContain('operator:');
      await shot('models-bindings');

      await row.getByRole('button', { name: `Unbind ${SOURCE}` }).click();
      const unbind = await confirmDialog('Unbind', 'trying the default again');
      expect(unbind).toMatch(new RegExp(`${SOURCE} scored by\\s*${MODEL}\\s*→\\s*the default model`));
      await row.waitFor({ state: 'detached' });

      await page.getByRole('button', { name: 'Bind a source…' }).click();
      const dialog = await visible(page.getByRole('dialog'));
      await dialog.getByLabel('Source').fill(SOURCE);
      await dialog.getByRole('combobox', { name: 'Model' }).click();
      await page.getByRole('option', { name: new RegExp(`^\\s*${MODEL}`) }).click();
      await visible(dialog.getByText(/the default model\s*→\s*/));
      await dialog.getByRole('button', { name: 'Bind', exact: true }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await visible(page.locator(`tr.binding-row[data-source="${SOURCE}"]`, { hasText: MODEL }));
    }));

  it('shows why a job failed: too short a file for a baseline', () =>
    step(async () => {
      await go('/train');
      await (await visible(page.getByLabel('Model name'))).fill(`${MODEL}-short`);
      await page.getByRole('radio', { name: 'A log file' }).click();
      const short = log.split('\n').slice(0, 12).join('\n');
      await page
        .locator('ll-drop-zone input[type=file]')
        .setInputFiles({ name: 'short.log', mimeType: 'text/plain', buffer: Buffer.from(short) });
      await page.getByRole('checkbox', { name: SOURCE }).check();
      await page.getByRole('button', { name: 'Start training' }).click();
      const failed = await visible(page.getByRole('alert').filter({ hasText: 'Training failed' }), 60_000);
      expect(await failed.textContent()).toMatch(/at least 20 are needed/);
      await visible(page.locator('tr.job-row[data-state="failed"]', { hasText: `${MODEL}-short` }));
      await shot('train-failed');
    }));

  it('trains on the lines of a source in the LOGS stream since a given time, deploying and binding it on the way', () =>
    step(async () => {
      await publish(STREAMED, log.trim().split('\n'));
      await go('/train');
      await (await visible(page.getByLabel('Model name'))).fill(`${MODEL}-orders`);
      await page.getByRole('radio', { name: 'Logs in the stream' }).click();
      await page.getByRole('textbox', { name: /sources/i }).fill(STREAMED);
      // the stretch is message time in LOGS: from an hour ago, in the browser's own time zone
      const from = await page.evaluate(() => {
        const d = new Date(Date.now() - 3600_000);
        const p = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
      });
      await page.getByLabel('From', { exact: true }).fill(from);
      await page.getByRole('switch', { name: 'Deploy the version once it is validated' }).click();
      await page.getByRole('switch', { name: 'Then bind the sources to the model' }).click();
      await page.getByRole('button', { name: 'Start training' }).click();
      await visible(page.getByRole('heading', { name: `Registered ${MODEL}-orders@1` }), 120_000);
      const asked = ((await page.locator('ll-job-status .asked').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(asked).toContain(`Sources ${STREAMED} from the LOGS stream, 20`);
      expect(asked).toContain('to newest; then deploy and bind');
      expect(await page.locator('ll-training-summary [data-fact="lines"]').textContent()).toContain(
        lineCount.toLocaleString('en-US'),
      );
      await visible(page.locator('ll-job-result .version-status', { hasText: 'serving' }));
      await visible(page.getByRole('button', { name: 'Sources bound' }));
      await shot('train-stream');
      await go('/models');
      await visible(
        page.locator(`tr.binding-row[data-source="${STREAMED}"]`, { hasText: `${MODEL}-orders` }),
      );
    }));

  it('offers a viewer the jobs but no way to start one', () =>
    step(async () => {
      await useKey(VIEWER, 'viewer');
      expect(
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Train a model' })
          .count(),
      ).toBe(0);
      await go('/train');
      await visible(page.getByText('it can follow train jobs but not start them'));
      await visible(page.locator('tr.job-row', { hasText: MODEL }));
      expect(await page.getByRole('button', { name: 'Start training' }).count()).toBe(0);
      await go('/models');
      await visible(page.locator(`tr.binding-row[data-source="${SOURCE}"]`));
      expect(await page.getByRole('button', { name: /Unbind|Re-bind|Bind a source/ }).count()).toBe(0);
    }));

  it('fits a laptop split screen (700 px wide): the result of a job and the bindings', () =>
    step(async () => {
      await page.setViewportSize({ width: 700, height: 900 });
      try {
        for (const [route, ready] of [
          [jobRoute, page.getByRole('heading', { name: `Registered ${MODEL}@1` })],
          ['/models', page.locator(`tr.binding-row[data-source="${SOURCE}"]`)],
        ] as const) {
          await go(route);
          await visible(ready);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow).toBeLessThanOrEqual(0);
        }
        await go(jobRoute);
        await visible(page.getByRole('table', { name: `Training baseline of ${MODEL}@1` }));
        await shot('train-result-700px');
      } finally {
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    }));

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
