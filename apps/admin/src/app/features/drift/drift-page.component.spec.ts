import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { DriftReportReply, FeatureDriftDto } from '@loglens/contracts';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { DriftPageComponent, worstFirst } from './drift-page.component';
import { histogramBars } from './drift-histogram.component';
import { SERIES_SLICES, pointOf, severityOf, slicesOf } from './drift-series.component';

const hist = (mean: number) => ({ edges: [0, 1], counts: [1, 2, 3], n: 6, mean, std: 1 });
const feature = (name: string, statistic: FeatureDriftDto['statistic'], value: number, threshold: number, drifted: boolean, means: [number, number]): FeatureDriftDto => ({
  feature: name,
  statistic,
  value,
  threshold,
  drifted,
  reference: hist(means[0]),
  current: hist(means[1]),
  distances: { psi: null, jensenshannon: null, wasserstein: null },
});

const report = (ref: string): DriftReportReply => ({
  model: ref.split('@')[0],
  version: ref,
  from: '2026-12-05T11:00:00.000Z',
  to: '2026-12-05T12:00:00.000Z',
  state: 'ok',
  buckets: 60,
  sources: [{ source: 'app', lines: 4000, unseenRate: 0.02 }],
  report: {
    referenceOrigin: 'training',
    referenceWindows: 600,
    currentWindows: 300,
    features: [feature('t02', 'ks', 0.6, 0.05, false, [6, 6.1]), feature('t04', 'ks', 1e-9, 0.05, true, [0.4, 2.1]), feature('events', 'ks', 0.01, 0.05, true, [13, 15])],
    templates: { statistic: 'chisquare', value: 0, threshold: 0.05, drifted: true, topChanges: [] },
    unseenTemplates: { rate: 0.02, threshold: 0.01, drifted: true, lines: 80, examples: [{ template: 'fan <*> failed at <*> rpm', lines: 80 }] },
    score: null,
    anomalyRate: { reference: 0.01, current: 0.05, change: 0.04, pValue: 0.001, threshold: 0.05, drifted: true },
    dataset: { drifted: false, driftedFeatures: 2, features: 3, share: 2 / 3, threshold: 0.5 },
  },
});

describe('DriftPageComponent', () => {
  let fixture: ComponentFixture<DriftPageComponent>;
  let backend: HttpTestingController;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [DriftPageComponent],
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(DriftPageComponent);
    await fixture.whenStable();
    backend.expectOne('/api/v1/models').flush({ models: [{ name: 'app', servingVersion: 'app@3' }, { name: 'up', servingVersion: 'up@1' }] });
  });

  afterEach(() => backend.verify());

  function answer(window: string, app: DriftReportReply): void {
    backend.expectOne('/api/v1/models/app%403').flush({ ref: 'app@3', featureSchema: { features: [{ name: 't02' }, { name: 't04' }, { name: 'events' }] }, metadata: { referenceProfile: { origin: 'training', windows: 600, features: { t02: {}, t04: {}, events: {} } } } });
    backend.expectOne('/api/v1/models/up%401').flush({ ref: 'up@1', featureSchema: null, metadata: {} });
    backend.expectOne(`/model-management/app%403/drift?window=${window}`).flush(app);
    backend
      .expectOne(`/model-management/up%401/drift?window=${window}`)
      .flush({ model: 'up', version: 'up@1', from: '', to: '', state: 'collecting-reference', reason: 'collecting', referenceWindow: { collected: 120, of: 500 }, buckets: 0, sources: [], report: null });
  }

  /** Answers the card's time series: SERIES_SLICES custom-range reports (t04 drifting from the 7th on) and the history. */
  function answerSeries(): number {
    const slices = backend.match((r) => r.url === '/model-management/app%403/drift' && r.params.has('from'));
    slices.forEach((req, i) => {
      const base = report('app@3');
      const r = base.report!;
      const t04 = { ...r.features[1], value: i >= 6 ? 1e-6 : 0.5, drifted: i >= 6 };
      req.flush(i === 0 ? { ...base, state: 'no-data', report: null } : { ...base, report: { ...r, features: [r.features[0], t04, r.features[2]] } });
    });
    backend.expectOne((r) => r.url === '/model-management/history' && r.params.get('model') === 'app').flush({
      entries: [{ id: 'h1', seq: 4, model: 'app', kind: 'serving', alias: null, action: 'deploy', from: 'app@2', to: 'app@3', actor: 'ops', reason: '', at: '2026-12-05T11:30:00.000Z' }],
    });
    return slices.length;
  }

  it('shows each version with live data: its verdict, histograms, a time series with deploys, the features worst first, unseen templates; and a reference window being collected', async () => {
    answer('1h', report('app@3'));
    await fixture.whenStable();
    fixture.detectChanges();
    expect(answerSeries()).toBe(SERIES_SLICES);
    await fixture.whenStable();
    fixture.detectChanges();
    const hists = [...page().querySelectorAll('ll-drift-histogram svg')].map((e) => e.getAttribute('aria-label'));
    expect(hists).toEqual(['t04', 'events', 't02'].map((f) => `Histogram of ${f}: reference vs current share per bin`));
    // 3 bins each side: reference and current bars
    expect(page().querySelectorAll('ll-drift-histogram svg rect').length).toBe(3 * 3 * 2);
    const series = page().querySelector('ll-drift-series svg')!;
    expect(series.getAttribute('aria-label')).toBe('Drift of t04 over time with serving version changes');
    // the slice with no data leaves a gap: 11 points, 6 of them past the threshold
    expect(series.querySelectorAll('circle').length).toBe(SERIES_SLICES - 1);
    expect(series.querySelectorAll('circle.over').length).toBe(SERIES_SLICES - 6);
    expect(series.querySelector('.deploy title')?.textContent).toContain('deploy app@2 → app@3 by ops');
    const text = page().textContent ?? '';
    expect(text).not.toContain('No drift data yet.');
    expect(text).toContain('2 drifted');
    const rows = [...page().querySelectorAll('table[aria-label^="Features of app@3"] tbody tr')].map((r) => r.querySelector('th')?.textContent?.trim());
    expect(rows).toEqual(['t04', 'events', 't02']);
    expect(text).toContain('fan <*> failed at <*> rpm');
    expect(text).toContain('training: 600 windows, 3 features');
    expect(text).toContain('collecting its reference window: 120 of 500 live windows');
    expect(page().querySelector('progress[aria-label="Reference window of up@1"]')?.getAttribute('max')).toBe('500');
  });

  it('says there is no drift data yet when no version has live windows, and asks again for another window', async () => {
    answer('1h', { ...report('app@3'), state: 'no-data', report: null });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(page().textContent).toContain('No drift data yet.');
    const button = [...page().querySelectorAll('button')].find((b) => b.textContent?.includes('last 24h'))!;
    button.click();
    await fixture.whenStable();
    backend.expectOne('/api/v1/models').flush({ models: [{ name: 'app', servingVersion: 'app@3' }, { name: 'up', servingVersion: 'up@1' }] });
    answer('24h', report('app@3'));
    await fixture.whenStable();
    fixture.detectChanges();
    expect(page().textContent).not.toContain('No drift data yet.');
    answerSeries();
  });
});

describe('drift charts', () => {
  it('histogram bars: each bin’s share of its side, labelled by the reference edges', () => {
    const bars = histogramBars({ edges: [0, 1], counts: [1, 2, 1], n: 4, mean: 0, std: 1 }, { edges: [0, 1], counts: [0, 0, 2], n: 2, mean: 2, std: 0 });
    expect(bars).toEqual([
      { label: '≤ 0', reference: 0.25, current: 0 },
      { label: '(0, 1]', reference: 0.5, current: 0 },
      { label: '> 1', reference: 0.25, current: 1 },
    ]);
  });

  it('severity: 1 at the threshold, for distances and p-values alike; slices cover the range exactly', () => {
    expect(severityOf({ statistic: 'wasserstein', value: 0.2, threshold: 0.1 })).toBeCloseTo(2);
    expect(severityOf({ statistic: 'ks', value: 0.05, threshold: 0.05 })).toBeCloseTo(1);
    expect(severityOf({ statistic: 'ks', value: 0.0025, threshold: 0.05 })).toBeCloseTo(2);
    expect(severityOf({ statistic: 'ks', value: null, threshold: 0.05 })).toBeNull();
    const s = slicesOf(0, 1000, 3);
    expect(s).toEqual([{ from: 0, to: 333 }, { from: 333, to: 667 }, { from: 667, to: 1000 }]);
    expect(pointOf(s[0], null, 't04')).toEqual({ from: 0, to: 333, severity: null, windows: 0 });
  });
});

describe('worstFirst', () => {
  it('puts drifted features first, then the ones furthest past their threshold', () => {
    const fs = [feature('a', 'wasserstein', 0.05, 0.1, false, [0, 0]), feature('b', 'ks', 1e-3, 0.05, true, [0, 0]), feature('c', 'wasserstein', 0.5, 0.1, true, [0, 0]), feature('d', 'ks', 1e-12, 0.05, true, [0, 0])];
    expect(worstFirst(fs).map((f) => f.feature)).toEqual(['d', 'c', 'b', 'a']);
  });
});
