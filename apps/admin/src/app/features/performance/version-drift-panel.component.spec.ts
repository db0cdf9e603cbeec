import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { DriftReportReply, FeatureDriftDto } from '@loglens/contracts';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { SERIES_SLICES } from '../../shared/drift-slices';
import { VersionDriftPanelComponent } from './version-drift-panel.component';
import { anomalyRateSeries, driftSeries, worstSeverity } from './version-drift-panel';

const hist = { edges: [0, 1], counts: [1, 2, 3], n: 6, mean: 1, std: 1 };
const feature = (name: string, statistic: FeatureDriftDto['statistic'], value: number, threshold: number): FeatureDriftDto => ({
  feature: name,
  statistic,
  value,
  threshold,
  drifted: false,
  reference: hist,
  current: hist,
  distances: { psi: null, jensenshannon: null, wasserstein: null },
});

function reply(current: number | null, features: FeatureDriftDto[] = [], drifted = false): DriftReportReply {
  return {
    model: 'app',
    version: 'app@3',
    from: '2026-12-05T11:00:00.000Z',
    to: '2026-12-05T12:00:00.000Z',
    state: current === null ? 'no-data' : 'ok',
    buckets: 1,
    sources: [],
    report:
      current === null
        ? null
        : {
            referenceOrigin: 'training',
            referenceWindows: 600,
            currentWindows: 120,
            features,
            templates: null,
            unseenTemplates: { rate: 0.02, threshold: 0.01, drifted: true, lines: 80, examples: [] },
            score: null,
            anomalyRate: { reference: 0.01, current, change: current - 0.01, pValue: 0.0004, threshold: 0.05, drifted },
            dataset: { drifted, driftedFeatures: drifted ? 2 : 0, features: 3, share: drifted ? 2 / 3 : 0, threshold: 0.5 },
          },
  };
}

describe('version drift panel data', () => {
  it('takes the worst feature (the score included) in multiples of its threshold, p-values on a log scale', () => {
    expect(worstSeverity(reply(0.1, [feature('a', 'psi', 0.05, 0.1), feature('b', 'ks', 0.0025, 0.05)]))).toBeCloseTo(2, 12);
    expect(worstSeverity(reply(null))).toBeNull();
    expect(worstSeverity(reply(0.1, []))).toBeNull();
  });

  it('plots the live anomaly rate per slice against the reference rate, breaking where a slice has no windows', () => {
    const slices = [
      { from: 0, to: 10, reply: reply(0.05) },
      { from: 10, to: 20, reply: reply(null) },
      { from: 20, to: 30, reply: null },
    ];
    const [live, reference] = anomalyRateSeries(slices, reply(0.03));
    expect(live.points).toEqual([
      { t: 5, v: 0.05 },
      { t: 15, v: null },
      { t: 25, v: null },
    ]);
    expect(reference.points.map((p) => p.v)).toEqual([0.01, 0.01, 0.01]);
    expect(anomalyRateSeries(slices, reply(null))).toHaveLength(1); // no reference line without a report
    expect(driftSeries(slices)[0].points.map((p) => p.v)).toEqual([null, null, null]);
  });
});

@Component({
  imports: [VersionDriftPanelComponent],
  template: `<ll-version-drift-panel [ref]="ref()" [refresh]="refresh()" />`,
})
class HostComponent {
  readonly ref = signal('app@3');
  readonly refresh = signal(0);
}

describe('VersionDriftPanelComponent', () => {
  let fixture: ComponentFixture<HostComponent>;
  let backend: HttpTestingController;
  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const driftRequests = () => backend.match((r) => r.url === '/model-management/app%403/drift' || r.url.startsWith('/model-management/app@3/drift'));

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [HostComponent],
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(HostComponent);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  it('shows the last hour’s verdict, anomaly rate with its p-value and unseen templates, and asks again only on refresh', async () => {
    const requests = driftRequests();
    expect(requests).toHaveLength(1 + SERIES_SLICES); // the hour, then one report per 5-minute slice
    requests[0].flush(reply(0.05, [feature('t04', 'ks', 1e-9, 0.05)], true));
    for (const r of requests.slice(1)) r.flush(reply(0.05));
    await fixture.whenStable();
    const text = el().textContent?.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain('drifted: 2 of 3 features');
    expect(text).toContain('5.0 % (reference 1.0 %, p < 0.001)');
    expect(text).toContain('2.0 % of 80 lines');
    expect(text).toContain('120 live / 600 reference');
    expect(el().querySelectorAll('ll-line-chart')).toHaveLength(2);

    fixture.componentInstance.refresh.set(1);
    await fixture.whenStable();
    const again = driftRequests();
    expect(again).toHaveLength(1 + SERIES_SLICES);
    for (const r of again) r.flush(reply(null));
    await fixture.whenStable();
    expect(el().textContent).toContain('Drift, last hour:');
  });
});
