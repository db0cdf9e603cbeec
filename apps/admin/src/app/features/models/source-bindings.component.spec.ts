import { InteractivityChecker } from '@angular/cdk/a11y';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { ModelSummaryDto, SourceBindingDto, SourceBindingEvent } from '@loglens/contracts';
import { Subject } from 'rxjs';
import { API_KEY_STORAGE_KEY } from '../../core/api-key.store';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { LiveEventsService } from '../../core/live-events.service';
import { SourceBindingsComponent } from './source-bindings.component';

function binding(source: string, model: string): SourceBindingDto {
  return { source, model, agent: 'base', boundBy: 'operator:ab12', boundAt: new Date().toISOString() };
}

const models = [
  { name: 'web-model', servingVersion: 'web-model@2' },
  { name: 'idle-model', servingVersion: null },
] as ModelSummaryDto[];

describe('SourceBindingsComponent', () => {
  let fixture: ComponentFixture<SourceBindingsComponent>;
  let backend: HttpTestingController;
  let bindingEvents: Subject<SourceBindingEvent>;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const button = (label: string, root: ParentNode = page()): HTMLButtonElement | undefined =>
    Array.from(root.querySelectorAll('button')).find((b) => b.textContent?.trim() === label);
  const dialog = (): HTMLElement => document.querySelector('mat-dialog-container') as HTMLElement;

  async function open(role: 'viewer' | 'operator', bindings: SourceBindingDto[]): Promise<void> {
    localStorage.setItem(API_KEY_STORAGE_KEY, `key-${role}`);
    bindingEvents = new Subject();
    TestBed.configureTestingModule({
      imports: [SourceBindingsComponent],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
        { provide: LiveEventsService, useValue: { bindings: bindingEvents, status: signal('live') } },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        {
          provide: InteractivityChecker,
          useValue: { isFocusable: () => true, isTabbable: () => true, isVisible: () => true },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SourceBindingsComponent);
    fixture.componentRef.setInput('models', models);
    await fixture.whenStable();
    backend.expectOne('/api/v1/auth/whoami').flush({ role });
    backend.expectOne('/model-management/sources').flush(bindings);
    await fixture.whenStable();
  }

  /** The next request to `url` once the component sends it (fails after `timeoutMs` without one). */
  async function nextRequest(url: string, timeoutMs = 5000): Promise<TestRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [req] = backend.match(url);
      if (req) return req;
      if (Date.now() > deadline) throw new Error(`no request to ${url} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  afterEach(() => {
    backend.verify();
    localStorage.clear();
    document.querySelectorAll('.cdk-overlay-container').forEach((el) => el.remove());
  });

  it('lists source → model with agent, who bound it and when, sorted by source, and what an idle model means', async () => {
    await open('viewer', [binding('web', 'web-model'), binding('billing', 'idle-model')]);
    const rows = Array.from(page().querySelectorAll('tr.binding-row'));
    expect(rows.map((r) => r.getAttribute('data-source'))).toEqual(['billing', 'web']);
    const text = rows[0].textContent?.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain('idle-model');
    expect(text).toContain('serves nothing: the default model scores it');
    expect(text).toContain('base');
    expect(text).toContain('operator:ab12');
    expect(text).toContain('just now');
    expect(rows[1].textContent).not.toContain('serves nothing');
    // a viewer changes nothing
    expect(button('Unbind')).toBeUndefined();
    expect(button('Bind a source…')).toBeUndefined();
  });

  it('says every source uses the default model when none is bound', async () => {
    await open('viewer', []);
    expect(page().textContent).toContain('No source is bound');
  });

  it('reloads when a binding changes elsewhere', async () => {
    await open('viewer', []);
    bindingEvents.next({
      source: 'web',
      binding: binding('web', 'web-model'),
      previous: null,
      actor: 'x',
      at: '',
    });
    // the reload is debounced (300 ms): wait for its request rather than sleeping past the debounce
    (await nextRequest('/model-management/sources')).flush([binding('web', 'web-model')]);
    await fixture.whenStable();
    expect(page().querySelectorAll('tr.binding-row')).toHaveLength(1);
  });

  it('unbinds after a confirm step that says what will score the source instead', async () => {
    await open('operator', [binding('web', 'web-model')]);
    page().querySelector<HTMLButtonElement>('button[aria-label="Unbind web"]')!.click();
    await fixture.whenStable();
    expect(dialog().textContent?.replace(/\s+/g, ' ')).toContain('Stop scoring web with web-model?');
    expect(dialog().querySelector('.to')?.textContent).toBe('the default model');
    button('Unbind', dialog())!.click();
    await fixture.whenStable();
    const req = backend.expectOne('/model-management/sources/web');
    expect(req.request.method).toBe('DELETE');
    req.flush(binding('web', 'web-model'));
    await fixture.whenStable();
    backend.expectOne('/model-management/sources').flush([]);
    await fixture.whenStable();
    expect(page().querySelectorAll('tr.binding-row')).toHaveLength(0);
  });

  it("binds a new source to a picked model, and shows the gateway's refusal", async () => {
    await open('operator', []);
    button('Bind a source…')!.click();
    await fixture.whenStable();
    const source = dialog().querySelector('input[list="bind-known-sources"]') as HTMLInputElement;
    source.value = 'checkout';
    source.dispatchEvent(new Event('input'));
    (dialog().querySelector('mat-select .mat-mdc-select-trigger') as HTMLElement).click();
    await fixture.whenStable();
    const options = Array.from(document.querySelectorAll('mat-option')) as HTMLElement[];
    expect(options.map((o) => o.textContent?.trim())).toEqual([
      'web-model (serves web-model@2)',
      'idle-model (serves nothing)',
    ]);
    options[0].click();
    await fixture.whenStable();
    expect(dialog().textContent?.replace(/\s+/g, ' ')).toMatch(
      /checkout scored by\s*the default model → web-model/,
    );
    button('Bind', dialog())!.click();
    await fixture.whenStable();
    const req = backend.expectOne('/model-management/sources/checkout');
    expect(req.request.body).toEqual({ model: 'web-model' });
    req.flush(
      { code: 'NOT_FOUND', message: 'no model "web-model"' },
      { status: 404, statusText: 'Not Found' },
    );
    await fixture.whenStable();
    backend.expectOne('/model-management/sources').flush([]);
    await fixture.whenStable();
    expect(page().querySelector('[role="alert"]')?.textContent).toContain('no model "web-model"');
  });
});
