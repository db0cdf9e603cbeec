import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { LogSubjects } from '@loglens/contracts';
import { StackProcess, connectTestNats, uniqueSchema, workspaceRoot } from '@loglens/testing';
import { launchChromium } from './browser';

const VIEWER = 'viewer-key-admin-e2e';
const OPERATOR = 'operator-key-admin-e2e';
const MODELS_DIR = 'data/onnx-models/sklearn_onnx_docs';

const ws = workspaceRoot();
const artifacts = path.join(ws, 'test-artifacts/admin-e2e');

/** The incident the simulated WiFi log carries: a deauth flood on ap-2f-a for 15 minutes from 01:30. */
const INCIDENT_AP = 'ap-2f-a';
const INCIDENT_START = 'Jun  3 01:30';

/** Three hours of simulated WiFi logs from six APs with the deauth flood (the project's simulator, deterministic). */
function incidentLog(): string {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'loglens-admin-e2e-sim-')), 'incident.log');
  execFileSync(
    process.execPath,
    [
      'tools/ts-run.mjs',
      'tools/sim/wifi-sim.ts',
      '--days',
      '0.125',
      '--seed',
      '3',
      '--incident',
      `deauth-flood@${INCIDENT_AP}@0T01:30+15`,
      '--out',
      out,
    ],
    { cwd: ws, stdio: 'ignore' },
  );
  return out;
}

/** Waits until the locator shows (Material renders asynchronously; lazy routes load on first visit). */
async function visible(locator: Locator, timeout = 20_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator.first();
}

describe('admin console in Chromium against the running stack, as an operator during an incident', () => {
  const stack = new StackProcess();
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** what the gateway's Content-Security-Policy blocked (Chromium reports it as a console error) */
  const cspViolations: string[] = [];

  let failures = 0;

  /**
   * Runs one step of the flow; when it fails, saves a screenshot and adds what the page and the stack said, so a CI
   * failure can be read without rerunning it.
   */
  async function step(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      const name = `failure-${++failures}`;
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

  /** Full-height screenshot: the app scrolls inside its own frame, so grow the window to the content first. */
  async function shot(name: string): Promise<void> {
    const vp = page.viewportSize() ?? { width: 1280, height: 900 };
    await page.waitForTimeout(300); // let snackbars and ripples settle
    const height = await page.evaluate(() => {
      const content = document.querySelector('mat-sidenav-content');
      const toolbar = document.querySelector('mat-toolbar');
      return (content?.scrollHeight ?? 0) + (toolbar?.getBoundingClientRect().height ?? 0);
    });
    await page.setViewportSize({ width: vp.width, height: Math.min(Math.max(vp.height, height), 4000) });
    await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
    await page.setViewportSize(vp);
  }

  async function api(
    method: string,
    route: string,
    key: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${stack.url}${route}`, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
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

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    browser = await launchChromium();
    if (!existsSync(path.join(ws, 'dist/apps/admin/browser/index.html'))) {
      throw new Error('the console is not built: run `npx nx build admin` first');
    }
    await stack.start({
      ...process.env,
      DATABASE_SCHEMA: uniqueSchema('e2e_admin'),
      API_KEYS: `viewer:${VIEWER},operator:${OPERATOR}`,
      // the Logs pages need the default models (log-anomaly, wifi-anomaly): seeded on this first start, whatever
      // the caller's environment says; the stack prints its ready line only after seeding
      LOGLENS_SEED_MODELS: '1',
      // the end of a short publish closes its windows soon
      AGENT_IDLE_FLUSH_MS: '1500',
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack.interrupt();
  });

  it('saves the operator key in Settings and shows its role', () =>
    step(async () => {
      await useKey(OPERATOR, 'operator');
      await visible(page.getByRole('status', { name: /Live updates on/ }));
      await shot('settings');
    }));

  it('uploads rf_iris.onnx as "iris" by drag and drop and shows its validation report per check', () =>
    step(async () => {
      await go('/upload');
      await (await visible(page.getByLabel('Model name'))).fill('iris');
      // a real drop event carrying the file, as a person dragging it from their desktop makes
      const bytes = readFileSync(path.join(ws, MODELS_DIR, 'rf_iris.onnx')).toString('base64');
      const dataTransfer = await page.evaluateHandle((b64) => {
        const file = new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'rf_iris.onnx');
        const dt = new DataTransfer();
        dt.items.add(file);
        return dt;
      }, bytes);
      const zone = page.locator('ll-drop-zone').first().locator('.zone');
      await zone.dispatchEvent('dragover', { dataTransfer });
      await zone.dispatchEvent('drop', { dataTransfer });
      await visible(page.getByText('rf_iris.onnx'));
      await page
        .getByLabel('Metadata (JSON, optional)')
        .fill('{"description": "random forest on iris", "tags": ["e2e"]}');
      await page.getByRole('button', { name: 'Upload and validate' }).click();

      await visible(page.getByRole('heading', { name: 'Registered iris@1' }), 60_000);
      const outcome = (check: string) =>
        page.locator(`tr.check-row[data-check="${check}"] .outcome-chip`).textContent();
      expect((await outcome('protobuf'))?.trim()).toBe('pass');
      // the ZipMap probability output cannot be served: a warning, not a failure
      expect((await outcome('outputs'))?.trim()).toBe('warn');
      expect((await outcome('test-inference'))?.trim()).toBe('pass');
      await shot('upload');
    }));

  it('opens iris@1, shows its signature and report, and deploys it with a reason after a confirm step', () =>
    step(async () => {
      await page.getByRole('link', { name: 'Open iris@1' }).click();
      await visible(page.getByRole('heading', { name: /iris\s+v1/ }));
      await visible(page.getByText('Validation passed with warnings.'));
      await visible(page.getByRole('table', { name: 'Signature' }));
      await shot('version-detail');

      await page.getByRole('button', { name: 'Deploy', exact: true }).click();
      const asked = await confirmDialog('Deploy', 'first model');
      expect(asked).toContain('Serve iris@1? No version of iris is serving now.');
      await visible(page.getByText('This version is serving now.'));
    }));

  it('scores two rows with the serving version on the Predict page', () =>
    step(async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Predict' }).click();
      await (await visible(page.getByRole('combobox', { name: 'Model' }))).click();
      await page.getByRole('option', { name: /^\s*iris/ }).click();
      await page.getByLabel('Rows (JSON)').fill('[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]');
      // the workers load a deployed version in the background: retry until it answers, as a person would
      const result = page.getByText(/Scored 2 rows with/);
      for (let attempt = 0; ; attempt++) {
        await page.getByRole('button', { name: 'Score rows' }).click();
        const outcome = await Promise.race([
          result.waitFor({ timeout: 10_000 }).then(() => 'ok'),
          page
            .locator('.message.error')
            .waitFor({ timeout: 10_000 })
            .then(() => 'error'),
        ]).catch(() => 'timeout');
        if (outcome === 'ok') break;
        if (attempt >= 20)
          throw new Error(`predict never answered: ${await page.locator('.message.error').textContent()}`);
        await page.waitForTimeout(500);
      }
      expect(await page.getByText(/Scored 2 rows with/).textContent()).toContain('iris@1');
      const outputs = await page.locator('td.outputs').allTextContents();
      expect(outputs).toHaveLength(2);
      expect(outputs[0]).toContain('output_label 0');
      expect(outputs[1]).toContain('output_label 2');
      await shot('predict');
    }));

  it('uploads logreg_iris.onnx as iris v2 (from the Models page) and deploys it', () =>
    step(async () => {
      await go('/models');
      await (await visible(page.getByRole('link', { name: 'Upload a new version of iris' }))).click();
      expect(await page.getByLabel('Model name').inputValue()).toBe('iris');
      await page.getByLabel('ONNX model file').setInputFiles(path.join(ws, MODELS_DIR, 'logreg_iris.onnx'));
      await page.getByRole('button', { name: 'Upload and validate' }).click();
      await visible(page.getByRole('heading', { name: 'Registered iris@2' }), 60_000);

      await page.getByRole('link', { name: 'Open iris@2' }).click();
      await visible(page.getByRole('heading', { name: /iris\s+v2/ }));
      await page.getByRole('button', { name: 'Deploy', exact: true }).click();
      const asked = await confirmDialog('Deploy', 'lighter model');
      expect(asked).toContain('Serve iris@2 instead of iris@1?');
      expect(asked).toMatch(/iris serves\s*iris@1\s*→\s*iris@2/);
      await visible(page.getByText('This version is serving now.'));
    }));

  it('rolls back to iris@1 and finds the rollback, who and why, at the top of the transfer history', () =>
    step(async () => {
      await page.getByRole('button', { name: 'Roll back to iris@1' }).click();
      const asked = await confirmDialog('Roll back', 'labels drifted');
      expect(asked).toContain('Serve iris@1 again instead of iris@2?');
      // iris@2 no longer serves: its Deploy button (greyed out while it served) is enabled again
      await visible(page.getByRole('button', { name: 'Deploy', exact: true, disabled: false }));

      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Transfer history' })
        .click();
      await (await visible(page.getByRole('combobox', { name: 'Model' }))).click();
      await page.getByRole('option', { name: 'iris', exact: true }).click();
      // the filtered list: iris's three serving changes, newest first
      await page.waitForFunction(() => {
        const items = document.querySelectorAll('ol.timeline > li');
        return items.length === 3 && (items[0].textContent ?? '').includes('rollback');
      });
      const text = ((await page.locator('ol.timeline > li').first().textContent()) ?? '').replace(
        /\s+/g,
        ' ',
      );
      expect(text).toMatch(/iris serves\s*iris@2\s*→\s*iris@1/);
      expect(text).toContain('labels drifted');
      expect(text).toContain('by operator:');
      expect(page.url()).toContain('model=iris');
      await shot('history');
    }));

  it('points the production alias at iris@1 after showing where it will point', () =>
    step(async () => {
      await go('/models/iris@1');
      await (await visible(page.getByRole('button', { name: 'Set alias…' }))).click();
      const dialog = await visible(page.getByRole('dialog'));
      await dialog.getByRole('combobox', { name: 'Alias' }).fill('prod');
      await page.getByRole('option', { name: /^production/ }).click();
      await visible(dialog.getByText(/new alias\s*→\s*iris@1/));
      await dialog.getByRole('button', { name: 'Move alias' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await visible(page.getByRole('list', { name: 'Aliases on this version' }).getByText('iris@production'));
    }));

  it('shows a deploy made elsewhere on the Models page without a reload', () =>
    step(async () => {
      await go('/models');
      await visible(page.locator('tr.model-row[data-model="iris"] .serving-cell', { hasText: 'iris@1' }));
      await visible(page.getByRole('status', { name: /Live updates on/ }));
      await page.evaluate(() => ((window as unknown as Record<string, unknown>)['__sameDocument'] = true));

      const reply = await api('POST', '/model-management/iris@2/deploy', OPERATOR, {
        reason: 'deployed from the API',
      });
      expect(reply.status).toBe(200);

      await visible(
        page.locator('tr.model-row[data-model="iris"] .serving-cell', { hasText: 'iris@2' }),
        15_000,
      );
      await visible(page.getByText('iris now serves iris@2 instead of iris@1'));
      expect(
        await page.evaluate(() => (window as unknown as Record<string, unknown>)['__sameDocument']),
      ).toBe(true);
      await shot('models');
    }));

  it('renders the Performance, Drift and Health pages with their data or an honest empty state', () =>
    step(async () => {
      await go('/performance');
      await visible(page.getByRole('heading', { name: 'Performance' }));
      await visible(
        page
          .getByRole('table', { name: 'Performance per version' })
          .or(page.getByText('No performance data yet.'))
          .or(page.getByText('No version has served a request'))
          .or(page.getByText('Could not load serving performance.')),
      );
      if (await page.getByRole('table', { name: 'Performance per version' }).isVisible()) {
        // the selected version's drift and anomaly rate over the last hour: a verdict, or why there is none yet
        // (iris is an upload without a reference profile: its first live rows are being collected into one)
        const panel = page.getByRole('region', { name: /^Drift and anomaly rate of iris@/ });
        await visible(panel.getByText(/Drift, last hour/).first());
        expect(((await panel.textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(/features|collecting its reference window|no live windows|no reference/);
      }
      await shot('performance');

      await go('/drift');
      // a version with live windows shows its report; before any traffic the page says so
      await visible(page.getByText('No drift data yet.').or(page.getByRole('table', { name: /^Features of .*, worst first$/ }).first()));
      await visible(page.getByRole('table', { name: 'What drift will be measured against' }));
      await shot('drift');

      await go('/status');
      await visible(page.getByText(/^Ready\.|^Not ready\./));
      // the console sends its key to /health/ready, so it gets (and shows) every service
      await visible(page.getByRole('table', { name: 'Services' }));
      await shot('health');
    }));

  it('fits a laptop split screen (700 px wide)', () =>
    step(async () => {
      await page.setViewportSize({ width: 700, height: 900 });
      await go('/models/iris@2');
      await visible(page.getByRole('heading', { name: /iris\s+v2/ }));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await shot('version-detail-700px');
      await page.setViewportSize({ width: 1280, height: 900 });
    }));

  it('offers a viewer key no change buttons anywhere', () =>
    step(async () => {
      await useKey(VIEWER, 'viewer');
      await go('/models/iris@1');
      await visible(page.getByRole('heading', { name: /iris\s+v1/ }));
      await visible(page.getByText('Your key is a viewer key'));
      for (const name of ['Deploy', 'Load', 'Unload', 'Validate', 'Set alias…', 'Tags…', 'Archive']) {
        expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
      }
      expect(await page.getByRole('button', { name: /Roll back|Delete alias/ }).count()).toBe(0);
      expect(
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Upload a version' })
          .count(),
      ).toBe(0);
      await shot('version-detail-viewer');

      await go('/models');
      await visible(page.locator('tr.model-row[data-model="iris"]'));
      expect(await page.getByRole('link', { name: /Upload a/ }).count()).toBe(0);
      await go('/upload');
      await visible(page.getByText('it can read models but not upload them'));
    }));

  describe('log analysis (Logs pages), as the viewer: analysis reads, it changes nothing', () => {
    let logFile = '';
    let logLines: string[] = [];
    const run = Date.now().toString(36);
    const liveSites = [`e2e${run}a`, `e2e${run}b`];
    const nav = () => page.getByRole('navigation', { name: 'Main' });

    /** Publishes `count` lines of the incident log, from the flood's start, to JetStream as logs.wifi.<site>. */
    async function publish(site: string, count: number): Promise<void> {
      const url =
        process.env['NATS_URL'] ?? /started nats-server with JetStream at (\S+)/.exec(stack.output())?.[1];
      if (!url) throw new Error('no NATS URL: neither NATS_URL nor the stack output names one');
      const from = logLines.findIndex((l) => l.startsWith(INCIDENT_START));
      const nc = await connectTestNats('admin-e2e', url, stack.natsCredentialsDir());
      try {
        const js = nc.jetstream();
        for (const line of logLines.slice(from, from + count)) {
          await js.publish(`${LogSubjects.wifi}.${site}`, new TextEncoder().encode(line));
        }
      } finally {
        await nc.close();
      }
    }

    it('analyzes a simulated incident log dropped on the Analyze page and highlights the anomalous windows first', () =>
      step(async () => {
        logFile = incidentLog();
        logLines = readFileSync(logFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
        expect(logLines.length).toBeGreaterThan(1000);
        expect(logLines.length).toBeLessThanOrEqual(10_000);

        await go('/analyze');
        await (await visible(page.getByRole('radio', { name: 'Log file' }))).click();
        // dropped from the desktop, as an operator would
        const b64 = readFileSync(logFile).toString('base64');
        const dataTransfer = await page.evaluateHandle((data) => {
          const file = new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], 'incident.log', {
            type: 'text/plain',
          });
          const dt = new DataTransfer();
          dt.items.add(file);
          return dt;
        }, b64);
        const zone = page.locator('ll-drop-zone .zone');
        await zone.dispatchEvent('dragover', { dataTransfer });
        await zone.dispatchEvent('drop', { dataTransfer });
        const count = logLines.length.toLocaleString('en-US');
        await visible(page.getByText(new RegExp(`incident\\.log: ${count} log lines\\s+ready`)));

        await page.getByRole('combobox', { name: 'Agent' }).click();
        await page.getByRole('option', { name: /^WiFi/ }).click();
        await page.getByLabel('Source (optional)').fill(`e2e${run}upload`);
        await page.getByRole('button', { name: 'Analyze', exact: true }).click();

        await visible(page.locator('tr.window-row.anomalous'), 60_000);
        const summary = ((await page.locator('p.summary').textContent()) ?? '').replace(/\s+/g, ' ');
        expect(summary).toContain('Agent wifi');
        expect(summary).toContain('wifi-anomaly@1');
        expect(summary).toContain(`${count} records of incident.log`);
        expect(summary).toMatch(/[1-9]\d* anomalous/);

        // highlighted and sorted first: every anomalous row comes before every normal one, the flood's AP on top
        const predictions = await page.locator('tr.window-row').evaluateAll((rows) =>
          rows.map((r) => (r as HTMLElement).dataset['prediction']),
        );
        const anomalous = predictions.filter((p) => p === 'anomalous').length;
        expect(anomalous).toBeGreaterThan(0);
        expect(predictions.slice(0, anomalous).every((p) => p === 'anomalous')).toBe(true);
        expect(predictions.slice(anomalous)).not.toContain('anomalous');
        expect(await page.locator('tr.window-row').first().locator('th.key').textContent()).toContain(INCIDENT_AP);
        const background = await page
          .locator('tr.window-row.anomalous')
          .first()
          .evaluate((r) => getComputedStyle(r).backgroundColor);
        const normalBackground = await page
          .locator('tr.window-row:not(.anomalous)')
          .first()
          .evaluate((r) => getComputedStyle(r).backgroundColor);
        expect(background).not.toBe(normalBackground);
        await shot('analyze');
      }));

    it('drills into the top anomalous window: why it scored so (its attributions) and its log lines with their templates', () =>
      step(async () => {
        const top = page.locator('tr.window-row.anomalous').first();
        // flagged windows are explained (AGENT_EXPLAIN=anomalies): the row opens on both
        const show = top.getByRole('button', { name: /^Show the records and attributions of window ap-2f-a/ });
        expect(await show.getAttribute('aria-expanded')).toBe('false');
        await show.click();
        const hide = await visible(top.getByRole('button', { name: /^Hide the records and attributions/ }));
        expect(await hide.getAttribute('aria-expanded')).toBe('true');
        const records = await visible(page.getByRole('table', { name: /^Records of window ap-2f-a/ }));
        const rows = records.locator('tr.record-row');
        expect(await rows.count()).toBeGreaterThan(10);
        const cells = await rows.first().locator('td').allTextContents();
        expect(Number(cells[0])).toBeGreaterThan(0); // the line number in the file
        expect(cells[1]).toContain(INCIDENT_AP);
        expect(cells[2].trim()).not.toBe('—'); // its template
        const text = (await records.textContent()) ?? '';
        expect(text).toMatch(/deauthenticat/);
        await shot('analyze-drilldown');

        // the waterfall: base value, the features by |contribution|, the rest, the output; the steps add up
        const waterfall = await visible(page.getByRole('table', { name: /^Attributions of window ap-2f-a/ }));
        const steps = await waterfall.locator('tr.step').evaluateAll((trs) =>
          trs.map((r) => ({ kind: (r as HTMLElement).dataset['kind'], c: Number((r as HTMLElement).dataset['contribution']) })),
        );
        expect(steps[0].kind).toBe('base');
        expect(steps[steps.length - 1].kind).toBe('output');
        const features = steps.filter((x) => x.kind === 'feature');
        expect(features.length).toBeGreaterThan(0);
        const magnitudes = features.map((x) => Math.abs(x.c));
        expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
        const sum = steps.filter((x) => x.kind === 'feature' || x.kind === 'other').reduce((acc, x) => acc + x.c, steps[0].c);
        expect(Math.abs(sum - steps[steps.length - 1].c)).toBeLessThan(1e-6);
        const caption = ((await page.locator('ll-attribution-waterfall figcaption').first().textContent()) ?? '').replace(/\s+/g, ' ');
        expect(caption).toContain('Exact attributions (TreeSHAP)'); // wifi-anomaly is an isolation forest
        await waterfall.scrollIntoViewIfNeeded();
        await shot('analyze-attributions');
      }));

    it('refuses more than 10,000 pasted lines before sending them', () =>
      step(async () => {
        await page.getByRole('radio', { name: 'Paste text' }).click();
        const many = Array.from({ length: 10_001 }, (_, i) => `line ${i}`).join('\n');
        // one input event with the whole text, as a paste makes (fill() types multi-line text far more slowly)
        await page.getByLabel('Log lines').evaluate((area, text) => {
          (area as HTMLTextAreaElement).value = text;
          area.dispatchEvent(new Event('input', { bubbles: true }));
        }, many);
        const sent: string[] = [];
        const onRequest = (r: { url(): string }) => r.url().includes('/models/analyze') && sent.push(r.url());
        page.on('request', onRequest);
        await page.getByRole('button', { name: 'Analyze', exact: true }).click();
        await visible(page.getByRole('alert').filter({ hasText: 'has 10,001 log lines; at most 10,000' }));
        page.off('request', onRequest);
        expect(sent).toEqual([]);
      }));

    it('counts anomalies found in logs published to JetStream on the nav badge, then lists them live', () =>
      step(async () => {
        await visible(page.getByRole('status', { name: /Live updates on/ }));
        await page.evaluate(() => ((window as unknown as Record<string, unknown>)['__sameDocument'] = true));

        await publish(liveSites[0], 400);
        const badge = nav().getByRole('link', { name: /Live anomalies/ }).locator('.badge');
        await visible(badge, 60_000);
        expect(Number(await badge.textContent())).toBeGreaterThan(0);
        await visible(nav().getByRole('link', { name: /Live anomalies, \d+ new/ }));

        await nav().getByRole('link', { name: /Live anomalies/ }).click();
        await visible(page.getByRole('heading', { name: 'Live anomalies' }));
        await visible(page.locator('tr.window-row', { hasText: liveSites[0] }));
        expect(await badge.count()).toBe(0);

        // and while the page is open, without a reload: the newest on top
        await publish(liveSites[1], 400);
        await visible(page.locator('tr.window-row', { hasText: liveSites[1] }), 60_000);
        expect(await page.locator('tr.window-row').first().textContent()).toContain(liveSites[1]);
        const rows = page.locator('tr.window-row');
        for (const text of await rows.allTextContents()) {
          expect(text).toContain('anomalous');
          expect(text).toContain('wifi-anomaly@1');
        }
        expect(await badge.count()).toBe(0);
        expect(
          await page.evaluate(() => (window as unknown as Record<string, unknown>)['__sameDocument']),
        ).toBe(true);
        await shot('live-anomalies');
      }));

    it('finds those anomalies in Stored results, filtered by source and anomalous only', () =>
      step(async () => {
        const liveIds = await page
          .locator('tr.window-row', { hasText: liveSites[0] })
          .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset['window']));
        expect(liveIds.length).toBeGreaterThan(0);

        await nav().getByRole('link', { name: 'Stored results' }).click();
        await visible(page.getByRole('heading', { name: 'Stored results' }));
        await page.getByLabel('Source', { exact: true }).fill(liveSites[0]);
        await page.getByLabel('Source', { exact: true }).press('Enter');
        await visible(page.locator('tr.window-row').filter({ hasText: liveSites[0] }));
        // every window of the published lines is stored, normal ones too
        expect(await page.locator('tr.window-row[data-prediction="normal"]').count()).toBeGreaterThan(0);

        await page.getByRole('switch', { name: 'Anomalous only' }).click();
        // the same windows the live feed showed (the registry stores them off the stream a moment after)
        await page.waitForFunction(
          ([site, ids]) => {
            const rows = Array.from(document.querySelectorAll<HTMLElement>('tr.window-row'));
            const shown = new Set(rows.map((r) => r.dataset['window']));
            return (
              ids.every((id) => shown.has(id)) &&
              rows.every((r) => r.dataset['prediction'] === 'anomalous' && (r.textContent ?? '').includes(site))
            );
          },
          [liveSites[0], liveIds as string[]] as const,
          { timeout: 20_000 },
        );
        const storedIds = await page
          .locator('tr.window-row')
          .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset['window']));
        expect(storedIds.sort()).toEqual([...liveIds].sort());
        expect(page.url()).toContain(`source=${liveSites[0]}`);
        expect(page.url()).toContain('anomalous=true');
        expect(await page.locator('tr.window-row').first().textContent()).toContain(INCIDENT_AP);
        await shot('results');
      }));

    it('fits a laptop split screen (700 px wide) on the Logs pages', () =>
      step(async () => {
        await page.setViewportSize({ width: 700, height: 900 });
        try {
          for (const route of ['/analyze', '/anomalies', `/results?source=${liveSites[0]}`]) {
            await go(route);
            await visible(page.locator('h1'));
            if (route.startsWith('/results')) await visible(page.locator('tr.window-row'));
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            expect(overflow).toBeLessThanOrEqual(0);
          }
          await shot('results-700px');
        } finally {
          await page.setViewportSize({ width: 1280, height: 900 });
        }
      }));
  });

  it('raised no uncaught errors in the page, and the security policy blocked nothing it loads', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
