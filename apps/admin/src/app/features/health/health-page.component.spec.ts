import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { API_KEY_STORAGE_KEY } from '../../core/api-key.store';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { HealthPageComponent } from './health-page.component';

describe('HealthPageComponent', () => {
  jest.setTimeout(30_000);
  let fixture: ComponentFixture<HealthPageComponent>;
  let backend: HttpTestingController;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;

  async function open(key: string | null): Promise<void> {
    if (key) localStorage.setItem(API_KEY_STORAGE_KEY, key);
    TestBed.configureTestingModule({
      imports: [HealthPageComponent],
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(HealthPageComponent);
    await fixture.whenStable();
  }

  afterEach(() => {
    fixture.destroy();
    backend.verify();
    localStorage.clear();
  });

  it('sends the key and lists every service of a not-ready stack', async () => {
    await open('k-viewer');
    const req = backend.expectOne('/health/ready');
    expect(req.request.headers.get('x-api-key')).toBe('k-viewer');
    const services = {
      gateway: { up: true, instances: 1, details: [] },
      registry: { up: true, instances: 1, details: [] },
      'agent-base': { up: false, instances: 0, details: [] },
    };
    req.flush({ status: 'not-ready', ready: false, services, missing: ['agent-base'] }, { status: 503, statusText: 'Service Unavailable' });
    await fixture.whenStable();
    expect(page().textContent).toContain('Not ready.');
    expect(page().textContent).toContain('No instance of agent-base answered.');
    expect(page().querySelectorAll('tr[mat-row]').length).toBe(3);
  });

  it('shows the bare status the gateway gives without a key, and says how to see more', async () => {
    await open(null);
    const req = backend.expectOne('/health/ready');
    expect(req.request.headers.has('x-api-key')).toBe(false);
    req.flush({ status: 'ready' });
    await fixture.whenStable();
    expect(page().textContent).toContain('Ready.');
    expect(page().textContent).toContain('Set an API key in Settings to see each service.');
    expect(page().textContent).not.toContain('The gateway reported no services.');
  });
});
