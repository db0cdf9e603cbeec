import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { DeadLetterDto } from '@loglens/contracts';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { DeadLettersPageComponent, originOf } from './dead-letters-page.component';

const log: DeadLetterDto = {
  seq: 2,
  at: '2026-12-05T08:00:00Z',
  stream: 'loglens-LOGS',
  streamSeq: 42,
  subject: 'loglens.logs.generic.web',
  consumer: 'loglens-agent-base',
  reason: 'delivered 10 times without being analysed',
  deliveries: 10,
  size: 4096,
  preview: '{"message": "poison',
  truncated: true,
};
const result: DeadLetterDto = {
  seq: 1,
  at: '2026-12-05T07:00:00Z',
  stream: 'loglens-ANALYSIS',
  streamSeq: 7,
  subject: 'loglens.analysis.results.web',
  consumer: 'loglens-registry-results',
  reason: '"id" is longer than 64 characters',
  deliveries: 1,
  size: 80,
  preview: '{"id":"xxxx"}',
  truncated: false,
};

describe('DeadLettersPageComponent', () => {
  let fixture: ComponentFixture<DeadLettersPageComponent>;
  let backend: HttpTestingController;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;
  /** each row's cells, their lines joined by " / " */
  const rows = () =>
    Array.from(page().querySelectorAll('tbody tr')).map((tr) =>
      Array.from(tr.querySelectorAll('td'))
        .map((td) => Array.from(td.children).length > 0 ? Array.from(td.children).map((c) => (c.textContent ?? '').trim()).join(' / ') : (td.textContent ?? '').trim())
        .join(' | '),
    );

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [DeadLettersPageComponent],
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(DeadLettersPageComponent);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  it('lists each dead letter with its consumer, reason, origin and a preview, and pages back with before=', async () => {
    const req = backend.expectOne((r) => r.url === '/model-management/dead-letters');
    expect(req.request.params.get('limit')).toBe('100');
    expect(req.request.params.has('consumer')).toBe(false);
    req.flush({ items: [log], next: 2 });
    await fixture.whenStable();
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toContain('| loglens-agent-base / after 10 deliveries |');
    expect(rows()[0]).toContain('delivered 10 times without being analysed');
    expect(rows()[0]).toContain('loglens-LOGS #42 · loglens.logs.generic.web');
    expect(rows()[0]).toContain('{"message": "poison… / 4.0 KiB, shown in part');

    (Array.from(page().querySelectorAll('button')).find((b) => b.textContent?.includes('Older dead letters')) as HTMLButtonElement).click();
    const older = backend.expectOne((r) => r.url === '/model-management/dead-letters' && r.params.get('before') === '2');
    older.flush({ items: [result] });
    await fixture.whenStable();
    expect(rows()).toHaveLength(2);
    expect(rows()[1]).toContain('"id" is longer than 64 characters');
    expect(rows()[1]).toContain('after 1 delivery');
    expect(page().textContent).not.toContain('Older dead letters');
  });

  it('says so when no consumer has given up on anything', async () => {
    backend.expectOne((r) => r.url === '/model-management/dead-letters').flush({ items: [] });
    await fixture.whenStable();
    expect(page().textContent).toContain('No dead letters: no consumer has given up on a message.');
    expect(page().querySelector('table')).toBeNull();
  });

  it('offers older pages when a filtered page found nothing among the messages it read', async () => {
    backend.expectOne((r) => r.url === '/model-management/dead-letters').flush({ items: [], next: 9000 });
    await fixture.whenStable();
    expect(page().textContent).toContain('None among the newest dead letters read so far: look further back.');
    (Array.from(page().querySelectorAll('button')).find((b) => b.textContent?.includes('Older dead letters')) as HTMLButtonElement).click();
    backend.expectOne((r) => r.url === '/model-management/dead-letters' && r.params.get('before') === '9000').flush({ items: [result] });
    await fixture.whenStable();
    expect(rows()).toHaveLength(1);
    expect(page().textContent).not.toContain('look further back');
  });

  it('shows the gateway’s refusal', async () => {
    backend
      .expectOne((r) => r.url === '/model-management/dead-letters')
      .flush({ code: 'FORBIDDEN', message: 'this action needs the operator role; the key has viewer' }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();
    expect(page().querySelector('[role="alert"]')?.textContent).toContain('needs the operator role');
  });
});

describe('originOf', () => {
  it('names the stream, the sequence there and the subject, or says what is unknown', () => {
    expect(originOf(log)).toBe('loglens-LOGS #42 · loglens.logs.generic.web');
    expect(originOf({ ...log, stream: null, streamSeq: null, subject: null })).toBe('unknown stream');
  });
});
