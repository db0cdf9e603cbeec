import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { signal } from '@angular/core';
import { provideRouter } from '@angular/router';
import type { ListModelsReply, ModelSummaryDto } from '@loglens/contracts';
import { Subject } from 'rxjs';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import type { LiveEvent } from '../../core/live-events';
import { LiveEventsService } from '../../core/live-events.service';
import { ModelsPageComponent } from './models-page.component';

function model(
  name: string,
  serving: number | null,
  versions: Array<[number, ModelSummaryDto['versions'][number]['status']]>,
  extra: Partial<ModelSummaryDto> = {},
): ModelSummaryDto {
  return {
    name,
    task: 'anomaly-detection',
    description: `${name} scores sessions`,
    createdAt: '2026-11-01T10:00:00Z',
    owner: 'operator:oper…',
    servingVersion: serving === null ? null : `${name}@${serving}`,
    aliases: {},
    versions: versions.map(([version, status]) => ({
      ref: `${name}@${version}`,
      version,
      status,
      sha256: 'a'.repeat(64),
      sizeBytes: 2048,
      createdAt: '2026-11-01T10:00:00Z',
      createdBy: 'trainer',
      aliases: [],
      tags: [],
      archivedAt: null,
      validation: status === 'invalid' ? ('fail' as const) : ('pass' as const),
    })),
    ...extra,
  };
}

/** the timers zoneless change detection runs on, left real when a test fakes rxjs's scheduler */
const ANGULAR_TIMERS = [
  'setTimeout',
  'clearTimeout',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'queueMicrotask',
  'nextTick',
  'setImmediate',
  'clearImmediate',
] as const;

describe('ModelsPageComponent', () => {
  let fixture: ComponentFixture<ModelsPageComponent>;
  let backend: HttpTestingController;
  const text = (): string => (fixture.nativeElement as HTMLElement).textContent ?? '';

  let live: Subject<LiveEvent>;

  beforeEach(() => {
    live = new Subject<LiveEvent>();
    TestBed.configureTestingModule({
      imports: [ModelsPageComponent],
      providers: [
        provideRouter([]),
        {
          provide: LiveEventsService,
          useValue: {
            events: live,
            bindings: new Subject(),
            status: signal('live'),
            noteOwnChange: () => undefined,
            isOwnChange: () => false,
          },
        },
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ModelsPageComponent);
    fixture.detectChanges();
  });

  // the bindings table below the models has its own spec (source-bindings.component.spec.ts)
  afterEach(() => {
    jest.useRealTimers();
    for (const r of backend.match('/model-management/sources')) r.flush([]);
    backend.verify();
  });

  async function answer(body: ListModelsReply | null, status = 200): Promise<void> {
    const req = backend.expectOne('/api/v1/models');
    expect(req.request.method).toBe('GET');
    if (status === 200) req.flush(body);
    else req.flush(body, { status, statusText: 'Error' });
    await fixture.whenStable();
  }

  it('shows a loading state until the gateway answers', () => {
    expect(text()).toContain('Loading models');
    backend.expectOne('/api/v1/models');
  });

  it('renders one row per model with its serving version and version chips', async () => {
    await answer({
      models: [
        model('hdfs-session-logreg', 1, [
          [1, 'serving'],
          [2, 'loaded'],
        ]),
        model('wifi-iforest', null, [[1, 'invalid']]),
      ],
    });

    const rows = (fixture.nativeElement as HTMLElement).querySelectorAll('tr.model-row');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('hdfs-session-logreg');
    expect(rows[0].textContent).toContain('hdfs-session-logreg@1');
    // newest version first, each linking to its detail page
    const chips = Array.from(rows[0].querySelectorAll<HTMLAnchorElement>('a.status-chip'));
    expect(chips.map((c) => c.textContent?.trim())).toEqual(['v2 · loaded', 'v1 · serving']);
    expect(chips[0].getAttribute('aria-label')).toBe('Version 2, loaded, validation pass');
    expect(chips[0].getAttribute('href')).toBe('/models/hdfs-session-logreg@2');
    // a model that serves nothing links to its newest version and says so
    expect(rows[1].textContent).toContain('none');
    expect(rows[1].querySelector('a.model-link')?.getAttribute('href')).toBe('/models/wifi-iforest@1');
  });

  it('lists aliases and hides archived versions until asked', async () => {
    const m = model(
      'iris',
      2,
      [
        [1, 'retired'],
        [2, 'serving'],
      ],
      { aliases: { production: 'iris@2', staging: 'iris@1' } },
    );
    m.versions[0].archivedAt = '2026-11-02T10:00:00Z';
    await answer({ models: [m] });
    const row = (fixture.nativeElement as HTMLElement).querySelector('tr.model-row')!;
    expect(Array.from(row.querySelectorAll('.alias-chip')).map((a) => a.textContent?.trim())).toEqual([
      'production → v2',
      'staging → v1',
    ]);
    expect(row.querySelectorAll('a.status-chip')).toHaveLength(1);
    expect(row.textContent).toContain('1 archived hidden');
  });

  it('reloads when the registry reports a change made elsewhere', async () => {
    await answer({
      models: [
        model('iris', 1, [
          [1, 'serving'],
          [2, 'validated'],
        ]),
      ],
    });
    // fake only the clock and the interval timers rxjs schedules its debounce with: Angular's change detection
    // keeps its real setTimeout and animation frames, so fixture.whenStable() still settles
    jest.useFakeTimers({ doNotFake: [...ANGULAR_TIMERS] });
    live.next({
      type: 'registry.events.version-deployed.v1',
      data: {
        model: 'iris',
        serving: { ref: 'iris@2', version: 2 },
        previousRef: 'iris@1',
        action: 'deploy',
        actor: 'operator:abcd…',
        at: '',
      },
    });
    // the page reloads once the burst of events is over (a 300 ms debounce): no reload before, one after
    jest.advanceTimersByTime(299);
    backend.expectNone('/api/v1/models');
    jest.advanceTimersByTime(1);
    jest.useRealTimers();
    await answer({
      models: [
        model('iris', 2, [
          [1, 'retired'],
          [2, 'serving'],
        ]),
      ],
    });
    const row = (fixture.nativeElement as HTMLElement).querySelector('tr.model-row')!;
    expect(row.querySelector('.serving-cell')?.textContent).toContain('iris@2');
    expect(row.classList).toContain('changed');
  });

  it('shows the empty state when no model is registered', async () => {
    await answer({ models: [] });
    expect(text()).toContain('No models are registered yet');
    expect((fixture.nativeElement as HTMLElement).querySelector('table')).toBeNull();
  });

  it('shows the gateway error and retries on demand', async () => {
    await answer({ code: 'UNAVAILABLE', message: 'registry did not answer within 5000 ms' } as never, 503);
    const alert = (fixture.nativeElement as HTMLElement).querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('registry did not answer within 5000 ms');

    alert?.querySelector('button')?.click();
    await answer({ models: [model('m', 1, [[1, 'serving']])] });
    expect((fixture.nativeElement as HTMLElement).querySelectorAll('tr.model-row')).toHaveLength(1);
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')).toBeNull();
  });
});
