import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { WindowResultDto } from '@loglens/contracts';
import { Subject } from 'rxjs';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { LiveEventsService } from '../../core/live-events.service';
import { ResultsPageComponent } from './results-page.component';

function result(id: string, isAnomaly: boolean, extra: Partial<WindowResultDto> = {}): WindowResultDto {
  return {
    id,
    agent: 'wifi',
    source: 'site1',
    key: `ap-${id}`,
    start: '2024-06-03T03:00:00Z',
    end: '2024-06-03T03:05:00Z',
    recordCount: 5,
    recordIds: ['11', '12', '13', '14', '15'],
    anomalyScore: isAnomaly ? 0.9 : 0.1,
    isAnomaly,
    threshold: 0.5,
    modelVersion: 'wifi-anomaly@1',
    topFeatures: [],
    analyzedAt: '2024-06-03T03:05:02Z',
    ...extra,
  };
}

describe('ResultsPageComponent', () => {
  let fixture: ComponentFixture<ResultsPageComponent>;
  let backend: HttpTestingController;
  let anomalies: Subject<WindowResultDto>;
  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;

  beforeEach(async () => {
    anomalies = new Subject<WindowResultDto>();
    TestBed.configureTestingModule({
      imports: [ResultsPageComponent],
      providers: [
        provideRouter([]),
        { provide: LiveEventsService, useValue: { anomalies, events: new Subject(), status: signal('live') } },
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ResultsPageComponent);
    fixture.componentRef.setInput('source', 'site1');
    fixture.componentRef.setInput('anomalous', 'true');
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  it('asks with the filters from the address and shows the windows with their source', async () => {
    const req = backend.expectOne((r) => r.url === '/api/v1/analysis/results');
    expect(req.request.params.get('source')).toBe('site1');
    expect(req.request.params.get('anomalous')).toBe('true');
    expect(req.request.params.get('limit')).toBe('100');
    expect(req.request.params.has('agent')).toBe(false);
    req.flush({ results: [result('b', true), result('a', true, { source: 'site1' })] });
    await fixture.whenStable();

    const rows = Array.from(el().querySelectorAll<HTMLElement>('tr.window-row'));
    expect(rows.map((r) => r.dataset['window'])).toEqual(['b', 'a']);
    expect(rows[0].textContent).toContain('site1');
    expect(rows[0].textContent).toContain('wifi agent');
    expect(el().querySelector('.summary')!.textContent).toContain('2 anomalous');

    rows[0].querySelector<HTMLButtonElement>('button.expand')!.click();
    await fixture.whenStable();
    expect(el().querySelector('tr.detail-row')!.textContent).toContain('stream sequence 11, 12, 13, 14, 15');
  });

  it('reloads when an anomaly matching the filters arrives live', async () => {
    jest.useFakeTimers();
    try {
      backend.expectOne((r) => r.url === '/api/v1/analysis/results').flush({ results: [] });
      anomalies.next(result('other', true, { source: 'elsewhere' }));
      jest.advanceTimersByTime(2500);
      backend.expectNone((r) => r.url === '/api/v1/analysis/results');

      anomalies.next(result('new', true));
      jest.advanceTimersByTime(2500);
      backend.expectOne((r) => r.url === '/api/v1/analysis/results').flush({ results: [result('new', true)] });
    } finally {
      jest.useRealTimers();
    }
  });

  it('says so when nothing matches', async () => {
    backend.expectOne((r) => r.url === '/api/v1/analysis/results').flush({ results: [] });
    await fixture.whenStable();
    expect(el().textContent).toContain('No stored windows match these filters.');
  });
});
