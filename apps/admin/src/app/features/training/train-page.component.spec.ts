import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { JobDto } from '@loglens/contracts';
import { Subject } from 'rxjs';
import { API_KEY_STORAGE_KEY } from '../../core/api-key.store';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { LiveEventsService } from '../../core/live-events.service';
import { JobWatcher } from './job-watcher.service';
import { TrainPageComponent } from './train-page.component';

const ID = '5019749b-e253-4926-84c7-6acb542aef20';

function job(change: Partial<JobDto> = {}): JobDto {
  return {
    id: ID,
    kind: 'train',
    model: 'checkout-model',
    state: 'queued',
    progress: { stage: 'queued', done: 0, total: 0 },
    params: { sources: ['checkout'], file: { name: 'checkout.log', bytes: 2048, lines: 3000 } },
    createdBy: 'operator:ab12',
    createdAt: '2026-12-04T10:00:00Z',
    updatedAt: '2026-12-04T10:00:00Z',
    ...change,
  };
}

describe('TrainPageComponent', () => {
  let fixture: ComponentFixture<TrainPageComponent>;
  let backend: HttpTestingController;
  let watched: Subject<JobDto>;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const text = (): string => page().textContent?.replace(/\s+/g, ' ') ?? '';
  const button = (label: string): HTMLButtonElement | undefined =>
    Array.from(page().querySelectorAll('button')).find((b) => b.textContent?.trim() === label);

  async function open(role: 'viewer' | 'operator', jobs: JobDto[] = []): Promise<void> {
    localStorage.setItem(API_KEY_STORAGE_KEY, `key-${role}`);
    watched = new Subject();
    TestBed.configureTestingModule({
      imports: [TrainPageComponent],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
        {
          provide: LiveEventsService,
          useValue: {
            jobs: new Subject(),
            bindings: new Subject(),
            events: new Subject(),
            status: signal('live'),
          },
        },
        { provide: JobWatcher, useValue: { watch: () => watched } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TrainPageComponent);
    await fixture.whenStable();
    backend.expectOne('/api/v1/auth/whoami').flush({ role });
    backend.expectOne('/api/v1/models').flush({ models: [] });
    backend
      .expectOne('/model-management/sources')
      .flush([
        { source: 'web', model: 'web-model', agent: 'base', boundBy: 'x', boundAt: '2026-12-01T00:00:00Z' },
      ]);
    backend.expectOne('/api/v1/analysis/results?limit=1000').flush({ results: [{ source: 'checkout' }] });
    backend.expectOne('/model-management/jobs?limit=20').flush(jobs);
    await fixture.whenStable();
  }

  function type(selector: string, value: string): void {
    const input = page().querySelector(selector) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  afterEach(() => {
    backend.verify();
    localStorage.clear();
  });

  it('offers a viewer the recent jobs but no form', async () => {
    await open('viewer', [
      job({ state: 'failed', error: { code: 'TRAINING_FAILED', message: 'too few windows' } }),
    ]);
    expect(text()).toContain('it can follow train jobs but not start them');
    expect(page().querySelector('form')).toBeNull();
    const row = page().querySelector('tr.job-row');
    expect(row?.getAttribute('data-state')).toBe('failed');
    expect(row?.textContent).toContain('too few windows');
  });

  it('offers the known sources, checks the form before sending, and sends a stream request', async () => {
    await open('operator');
    const ticks = Array.from(page().querySelectorAll('mat-checkbox')).map((c) => c.textContent?.trim());
    expect(ticks).toEqual(['checkout', 'web']);
    button('Start training')!.click();
    await fixture.whenStable();
    expect(text()).toContain('Name the model to train');
    expect(text()).toContain('Pick or type at least one source.');

    type('input[list="train-known-models"]', 'checkout-model');
    (page().querySelector('mat-checkbox input') as HTMLInputElement).click();
    await fixture.whenStable();
    button('Start training')!.click();
    await fixture.whenStable();
    const req = backend.expectOne('/model-management/models/checkout-model/train');
    expect(req.request.body).toEqual({ sources: ['checkout'] });
    req.flush(job({ params: { sources: ['checkout'] } }));
    await fixture.whenStable();
    expect(text()).toContain('Job for checkout-model');
    expect(text()).toContain('Waiting for a trainer');
    backend.expectOne('/model-management/jobs?limit=20').flush([job()]);
  });

  it("shows the gateway's message when the job cannot start", async () => {
    await open('operator');
    type('input[list="train-known-models"]', 'checkout-model');
    type('.typed input', 'nowhere');
    await fixture.whenStable();
    button('Start training')!.click();
    await fixture.whenStable();
    backend
      .expectOne('/model-management/models/checkout-model/train')
      .flush(
        { code: 'NOT_FOUND', message: 'no logs for source "nowhere" in the LOGS stream' },
        { status: 404, statusText: 'Not Found' },
      );
    await fixture.whenStable();
    expect(page().querySelector('[role="alert"]')?.textContent).toContain(
      'Could not start the job: no logs for source "nowhere" in the LOGS stream',
    );
  });

  it('follows the job in ?job= live: its progress, then why it failed', async () => {
    await open('viewer');
    fixture.componentRef.setInput('job', ID);
    await fixture.whenStable();
    watched.next(job({ state: 'running', progress: { stage: 'mining templates', done: 750, total: 3000 } }));
    await fixture.whenStable();
    expect(text()).toContain('Mining the templates… 750 of 3,000 (25 %)');
    expect(page().querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe('Training progress');
    watched.next(
      job({
        state: 'failed',
        updatedAt: '2026-12-04T10:01:00Z',
        error: { code: 'TRAINING_FAILED', message: '9 windows of 10 s: at least 20 are needed' },
      }),
    );
    await fixture.whenStable();
    expect(page().querySelector('[role="alert"]')?.textContent?.replace(/\s+/g, ' ')).toContain(
      'Training failed (TRAINING_FAILED): 9 windows of 10 s: at least 20 are needed',
    );
    expect(page().querySelector('mat-progress-bar')).toBeNull();
  });

  it('shows a succeeded job: the version with its validation, the summary and the baseline', async () => {
    await open('operator');
    fixture.componentRef.setInput('job', ID);
    await fixture.whenStable();
    watched.next(
      job({
        state: 'succeeded',
        result: {
          version: 'checkout-model@1',
          validation: 'pass',
          summary: {
            sources: ['checkout'],
            algorithm: 'iforest',
            windowMs: 60_000,
            lines: 3000,
            windows: 347,
            templates: 5,
            vocabulary: 5,
            from: '2026-11-30T06:00:07Z',
            to: '2026-11-30T11:46:56Z',
            threshold: 0.695,
            trainingAnomalyRate: 0.0029,
          },
        },
      }),
    );
    await fixture.whenStable();
    backend.expectOne('/api/v1/models/checkout-model%401').flush({
      ref: 'checkout-model@1',
      model: 'checkout-model',
      version: 1,
      status: 'validated',
      metadata: { baseline: { quantiles: [0.5, 1], perFeature: { events: [9, 11] } } },
      featureSchema: {
        version: 'v',
        features: [{ name: 'events', dtype: 'float32', description: 'events in the window' }],
      },
    });
    backend.expectOne('/model-management/checkout-model%401/validation').flush({
      ref: 'checkout-model@1',
      outcome: 'pass',
      checks: [{ check: 'test-inference', outcome: 'pass', message: 'scored' }],
    });
    await fixture.whenStable();
    expect(text()).toContain('Registered checkout-model@1');
    expect(text()).toContain('validation passed');
    const fact = (name: string) => page().querySelector(`[data-fact="${name}"]`)?.textContent?.trim();
    expect(fact('lines')).toBe('3,000');
    expect(fact('windows')).toBe('347');
    expect(fact('window')).toBe('1 min');
    expect(fact('threshold')).toBe('0.695');
    expect(fact('anomaly-rate')).toContain('0.29 %');
    expect(page().querySelector('tr.check-row[data-check="test-inference"]')).not.toBeNull();
    expect(page().querySelector('tr.baseline-row[data-feature="events"]')?.textContent).toContain(
      'events in the window',
    );
    expect(button('Bind to sources')?.disabled).toBe(false);
    expect(button('Deploy')?.disabled).toBe(false);
  });
});
