import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { WritableSignal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AnalyzeReply } from '@loglens/contracts';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { ApiError } from '../../core/api-error';
import { AnalyzePageComponent, analyzeErrorText } from './analyze-page.component';

const LINES = [
  'Jun  3 03:00:01 ap-2f-a hostapd: wlan0: STA 02:50:00:00:00:01 IEEE 802.11: deauthenticated',
  '',
  'Jun  3 03:00:02 ap-2f-a hostapd: wlan0: STA 02:50:00:00:00:02 IEEE 802.11: deauthenticated',
  'Jun  3 03:00:03 ap-1f-a hostapd: wlan0: AP-ENABLED',
  'garbage',
];

const REPLY: AnalyzeReply = {
  agent: 'wifi',
  modelVersions: ['wifi-anomaly@1'],
  windows: [
    {
      id: 'w-normal',
      key: 'ap-1f-a',
      start: '2024-06-03T03:00:00Z',
      end: '2024-06-03T03:05:00Z',
      recordIndexes: [2],
      anomalyScore: 0.12,
      isAnomaly: false,
      threshold: 0.5,
      modelVersion: 'wifi-anomaly@1',
      topFeatures: [],
    },
    {
      id: 'w-flood',
      key: 'ap-2f-a',
      start: '2024-06-03T03:00:00Z',
      end: '2024-06-03T03:05:00Z',
      recordIndexes: [0, 1],
      anomalyScore: 0.97,
      isAnomaly: true,
      threshold: 0.5,
      modelVersion: 'wifi-anomaly@1',
      topFeatures: [{ name: 'deauth_rate', value: 2, baseline: 0, deviation: 11 }],
    },
  ],
  records: [
    { index: 0, templateId: 't1', template: '<*> hostapd: wlan0: STA <*> IEEE 802.11: deauthenticated', windowId: 'w-flood' },
    { index: 1, templateId: 't1', template: '<*> hostapd: wlan0: STA <*> IEEE 802.11: deauthenticated', windowId: 'w-flood' },
    { index: 2, templateId: 't2', template: '<*> hostapd: wlan0: AP-ENABLED', windowId: 'w-normal' },
    { index: 3, templateId: null, template: null, windowId: null, error: 'no timestamp' },
  ],
};

interface PageInternals {
  agent: WritableSignal<'auto' | 'wifi' | 'base'>;
  source: WritableSignal<string>;
}

describe('AnalyzePageComponent', () => {
  let fixture: ComponentFixture<AnalyzePageComponent>;
  let backend: HttpTestingController;
  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const text = () => (el().textContent ?? '').replace(/\s+/g, ' ');

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [AnalyzePageComponent],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AnalyzePageComponent);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  async function paste(value: string): Promise<void> {
    const area = el().querySelector('textarea')!;
    area.value = value;
    area.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  /** Renders until `done()` holds; fails after `ms` with no fixed sleep deciding the outcome. */
  async function until(done: () => boolean, ms = 2000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      await fixture.whenStable();
      if (done()) return;
      if (Date.now() > deadline) throw new Error(`still not there after ${ms} ms: ${text()}`);
      await new Promise((r) => setTimeout(r));
    }
  }

  async function analyze(): Promise<void> {
    el().querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await fixture.whenStable();
  }

  it('sends the pasted lines as records with the agent and source, and shows the windows, anomalous first', async () => {
    await paste(LINES.join('\n'));
    const page = fixture.componentInstance as unknown as PageInternals;
    page.agent.set('wifi');
    page.source.set('site1');
    await analyze();
    expect(text()).toContain('Analyzing 4 records…');

    const req = backend.expectOne((r) => r.url === '/api/v1/models/analyze');
    expect(req.request.method).toBe('POST');
    expect(req.request.params.get('agent')).toBe('wifi');
    expect(req.request.params.get('source')).toBe('site1');
    expect(req.request.body).toEqual([LINES[0], LINES[2], LINES[3], LINES[4]]);
    req.flush(REPLY);
    await fixture.whenStable();

    const summary = el().querySelector('.summary')!.textContent!.replace(/\s+/g, ' ');
    expect(summary).toContain('Agent wifi');
    expect(summary).toContain('wifi-anomaly@1');
    expect(summary).toContain('4 records of the pasted text in 2 windows');
    expect(summary).toContain('1 anomalous');
    expect(summary).toContain('1 record with errors');

    const rows = Array.from(el().querySelectorAll<HTMLElement>('tr.window-row'));
    expect(rows.map((r) => r.dataset['window'])).toEqual(['w-flood', 'w-normal']);
    expect(rows[0].classList).toContain('anomalous');

    // drill into the flood: its two records with their line numbers in the pasted text and their template
    rows[0].querySelector<HTMLButtonElement>('button.expand')!.click();
    await fixture.whenStable();
    const records = Array.from(el().querySelectorAll('tr.detail-row tr.record-row')).map((r) =>
      Array.from(r.querySelectorAll('td')).map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
    expect(records).toEqual([
      ['1', LINES[0].replace(/\s+/g, ' '), '<*> hostapd: wlan0: STA <*> IEEE 802.11: deauthenticated'],
      ['3', LINES[2].replace(/\s+/g, ' '), '<*> hostapd: wlan0: STA <*> IEEE 802.11: deauthenticated'],
    ]);

    // the record no window took, with its error
    expect(text()).toContain('1 record is in no window');
    const orphan = el().querySelector('details.unwindowed tr.record-row')!;
    expect(orphan.classList).toContain('has-error');
    expect(orphan.textContent).toContain('Error: no timestamp');
  });

  it('takes a log file dropped anywhere on the page, reads it in the browser and sends its lines', async () => {
    const file = new File([LINES.join('\r\n')], 'ap.log', { type: 'text/plain' });
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [file], types: ['Files'] } });
    el().querySelector('h1')!.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    // the browser reads the file asynchronously: wait until the page has its line count
    await until(() => text().includes('ap.log: 4 log lines ready'));

    await analyze();
    const req = backend.expectOne((r) => r.url === '/api/v1/models/analyze');
    expect(req.request.params.get('agent')).toBe('auto');
    expect(req.request.body).toEqual([LINES[0], LINES[2], LINES[3], LINES[4]]);
    req.flush(REPLY);
    await fixture.whenStable();
    expect(el().querySelector('.summary')!.textContent).toContain('records of ap.log');
    expect(el().querySelector('.summary')!.textContent).toContain('(picked by content)');
  });

  it('refuses more than 10,000 lines before sending anything', async () => {
    await paste(Array.from({ length: 10_001 }, (_, i) => `line ${i}`).join('\n'));
    await analyze();
    backend.expectNone('/api/v1/models/analyze');
    expect(el().querySelector('[role="alert"]')?.textContent).toContain('has 10,001 log lines; at most 10,000');
  });

  it('explains a 413 from the gateway', async () => {
    await paste('one line');
    await analyze();
    backend
      .expectOne((r) => r.url === '/api/v1/models/analyze')
      .flush(
        { code: 'PAYLOAD_TOO_LARGE', message: 'request body is larger than the gateway accepts (BODY_LIMIT)' },
        { status: 413, statusText: 'Payload Too Large' },
      );
    await fixture.whenStable();
    const alert = el().querySelector('[role="alert"]')!.textContent!;
    expect(alert).toContain('refused this analysis as too large (HTTP 413)');
    expect(alert).toContain('at most 10,000 records and 10.0 MiB');
    expect(alert).toContain('Stored results');
  });

  it('says when no model scored the windows', async () => {
    await paste('one line');
    await analyze();
    backend.expectOne((r) => r.url === '/api/v1/models/analyze').flush({
      ...REPLY,
      modelVersions: [],
      windows: REPLY.windows.map((w) => ({ ...w, anomalyScore: null, isAnomaly: false, modelVersion: null })),
    });
    await fixture.whenStable();
    expect(text()).toContain('No model version scored these windows');
    expect(text()).toContain('not scored');
  });
});

describe('analyzeErrorText', () => {
  it('passes other errors through as the gateway worded them', () => {
    expect(analyzeErrorText(new ApiError('the array of records is empty', 400))).toBe('the array of records is empty');
  });
});
