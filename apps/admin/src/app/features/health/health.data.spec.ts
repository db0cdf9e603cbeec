import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { apiErrorInterceptor } from '../../core/api.interceptors';
import { HealthData } from './health.data';

describe('HealthData', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('answers the readiness body of a 503 (not ready) rather than failing', () => {
    let body: unknown = null;
    TestBed.inject(HealthData)
      .readiness()
      .subscribe((b) => (body = b));
    backend.expectOne('/health/ready').flush({ status: 'not ready' }, { status: 503, statusText: 'Service Unavailable' });
    expect(body).toEqual({ status: 'not ready' });
  });

  it('still fails on an answer that is no readiness body', () => {
    let error: unknown = null;
    TestBed.inject(HealthData)
      .readiness()
      .subscribe({ error: (e: unknown) => (error = e) });
    backend.expectOne('/health/ready').flush({ code: 'INTERNAL', message: 'boom' }, { status: 500, statusText: 'Internal Server Error' });
    expect(error).toMatchObject({ status: 500, message: 'boom' });
  });
});
