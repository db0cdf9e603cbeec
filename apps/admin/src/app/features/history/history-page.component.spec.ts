import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { HistoryEntryDto } from '@loglens/contracts';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { HistoryPageComponent, localToIso } from './history-page.component';

const entries: HistoryEntryDto[] = [
  {
    id: 'h3',
    seq: 3,
    model: 'iris',
    kind: 'serving',
    alias: null,
    action: 'rollback',
    from: 'iris@2',
    to: 'iris@1',
    actor: 'operator:oper…',
    reason: 'labels drifted',
    at: '2026-11-26T08:03:00Z',
  },
  {
    id: 'h2',
    seq: 2,
    model: 'iris',
    kind: 'alias',
    alias: 'production',
    action: 'alias-set',
    from: null,
    to: 'iris@2',
    actor: 'operator:oper…',
    reason: '',
    at: '2026-11-26T08:02:00Z',
  },
];

describe('HistoryPageComponent', () => {
  let fixture: ComponentFixture<HistoryPageComponent>;
  let backend: HttpTestingController;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [HistoryPageComponent],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(HistoryPageComponent);
    fixture.componentRef.setInput('model', 'iris');
    await fixture.whenStable();
    backend.expectOne('/api/v1/models').flush({ models: [] });
  });

  afterEach(() => backend.verify());

  it('asks for the model from the URL and shows who changed what, when and why, newest first', async () => {
    const req = backend.expectOne((r) => r.url === '/model-management/history');
    expect(req.request.params.get('model')).toBe('iris');
    expect(req.request.params.get('limit')).toBe('100');
    req.flush({ entries });
    await fixture.whenStable();

    const items = Array.from(page().querySelectorAll('ol.timeline > li')).map((li) =>
      (li.textContent ?? '').replace(/\s+/g, ' ').trim(),
    );
    expect(items).toHaveLength(2);
    expect(items[0]).toMatch(
      /^rollback iris serves\s*iris@2 → iris@1 by operator:oper… · .* · #3 “labels drifted”$/,
    );
    expect(items[1]).toMatch(/alias moved iris@production\s*nothing → iris@2/);
    expect(items[1]).toContain('no reason given');
  });

  it('says so when nothing was recorded', async () => {
    backend.expectOne((r) => r.url === '/model-management/history').flush({ entries: [] });
    await fixture.whenStable();
    expect(page().textContent).toContain('No changes recorded for iris');
  });
});

describe('localToIso', () => {
  it('turns a datetime-local value into ISO 8601 and leaves empty values unset', () => {
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('2026-11-26T08:30')).toBe(new Date('2026-11-26T08:30').toISOString());
    expect(localToIso('not a date')).toBeUndefined();
  });
});
