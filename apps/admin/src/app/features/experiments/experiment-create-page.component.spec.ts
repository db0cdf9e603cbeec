import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { API_KEY_STORAGE_KEY } from '../../core/api-key.store';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { ExperimentCreatePageComponent } from './experiment-create-page.component';

describe('ExperimentCreatePageComponent', () => {
  // the first render compiles Material's form fields, which takes about 5 s on a busy machine
  jest.setTimeout(30_000);
  let fixture: ComponentFixture<ExperimentCreatePageComponent>;
  let backend: HttpTestingController;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const field = (label: string) =>
    Array.from(page().querySelectorAll('mat-form-field'))
      .find((f) => f.querySelector('mat-label')?.textContent?.trim() === label)
      ?.querySelector('input') as HTMLInputElement;
  const type = (label: string, value: string) => {
    const input = field(label);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const submit = () =>
    (
      Array.from(page().querySelectorAll('button')).find((b) =>
        b.textContent?.includes('Start the experiment'),
      ) as HTMLButtonElement
    ).click();

  async function open(role: 'viewer' | 'operator'): Promise<void> {
    localStorage.setItem(API_KEY_STORAGE_KEY, `key-${role}`);
    TestBed.configureTestingModule({
      imports: [ExperimentCreatePageComponent],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ExperimentCreatePageComponent);
    await fixture.whenStable();
    backend.expectOne('/api/v1/auth/whoami').flush({ role });
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    localStorage.clear();
  });

  it('sends nothing while a field is wrong, and names the field', async () => {
    await open('operator');
    type('Model', 'wifi-anomaly');
    type('Candidate 1 version', '2');
    type('Step (% points)', '80');
    submit();
    await fixture.whenStable();
    expect(page().textContent).toContain('The step must not exceed the maximum weight.');
    backend.expectNone('/model-management/experiments');
  });

  it('sends the checked canary and shows the gateway’s 409 as it says it', async () => {
    await open('operator');
    type('Model', 'wifi-anomaly');
    type('Candidate 1 version', '2');
    submit();
    await fixture.whenStable();
    const req = backend.expectOne('/model-management/experiments');
    expect(req.request.body).toEqual({
      model: 'wifi-anomaly',
      kind: 'canary',
      candidates: [{ version: '2', weight: 10 }],
      canary: { stepWeight: 10, maxWeight: 50, intervalSec: 60, failureThreshold: 2 },
      criteria: { maxErrorRate: 0.01, maxP99Ms: 500, minSamples: 200 },
    });
    req.flush(
      {
        code: 'CONFLICT',
        message: 'wifi-anomaly already has a running canary experiment 0b6c1c9e-8f0e-4c1a-9d59-0d6f3c2b1a00',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    const alert = page().querySelector('[role="alert"]')?.textContent ?? '';
    expect(alert).toContain('The gateway refused the experiment (409).');
    expect(alert).toContain('already has a running canary experiment 0b6c1c9e');
  });

  it('sends an A/B test’s candidates as edited in the candidates section', async () => {
    await open('operator');
    type('Model', 'wifi-anomaly');
    const toggle = (label: string) =>
      (
        Array.from(page().querySelectorAll('mat-button-toggle button')).find(
          (b) => b.textContent?.trim() === label,
        ) as HTMLButtonElement
      ).click();
    toggle('A/B test');
    await fixture.whenStable();
    type('Candidate 1 version', '2');
    type('Weight (%)', '20');
    (
      Array.from(page().querySelectorAll('button')).find((b) =>
        b.textContent?.includes('Add a candidate'),
      ) as HTMLButtonElement
    ).click();
    await fixture.whenStable();
    type('Candidate 2 version', '3');
    await fixture.whenStable();
    expect(page().textContent).toContain('The control answers the rest: 70 %.');
    expect(page().querySelector('[aria-label="Remove candidate 2"]')).not.toBeNull();
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    submit();
    await fixture.whenStable();
    const req = backend.expectOne('/model-management/experiments');
    expect(req.request.body).toEqual(
      expect.objectContaining({
        kind: 'ab',
        candidates: [
          { version: '2', weight: 20 },
          { version: '3', weight: 10 },
        ],
      }),
    );
    req.flush({ id: 'e1' });
    expect(navigate).toHaveBeenCalledWith(['/experiments', 'e1']);
  });

  it('gives a viewer a notice instead of the form', async () => {
    await open('viewer');
    expect(page().querySelector('form')).toBeNull();
    expect(page().textContent).toContain('it can read experiments but not start them');
  });
});
