import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiError } from './api-error';
import { apiErrorInterceptor } from './api.interceptors';
import { SourcesApi } from './sources-api.service';

describe('SourcesApi', () => {
  let api: SourcesApi;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting()],
    });
    api = TestBed.inject(SourcesApi);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('posts a stream train request as JSON to the model it trains', () => {
    api.train('my.app', { sources: ['a', 'b'], deploy: true }).subscribe();
    const req = backend.expectOne('/model-management/models/my.app/train');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ sources: ['a', 'b'], deploy: true });
    req.flush({});
  });

  it('sends a log file as multipart, with the other fields as the text the gateway reads', () => {
    const file = new File(['2026-12-01T00:00:00Z hello\n'], 'app.log');
    api
      .trainFromFile('app', file, { sources: ['a', 'b'], windowMs: 60000, bind: true, deploy: true })
      .subscribe();
    const req = backend.expectOne('/model-management/models/app/train');
    const form = req.request.body as FormData;
    expect((form.get('logs') as File).name).toBe('app.log');
    expect(form.get('sources')).toBe('a,b');
    expect(form.get('windowMs')).toBe('60000');
    expect(form.get('deploy')).toBe('true');
    expect(form.get('bind')).toBe('true');
    expect(form.has('from')).toBe(false);
    req.flush({});
  });

  it('reads jobs with only the filters given, and one job by id', () => {
    api.jobs({ limit: 20, model: undefined }).subscribe();
    backend.expectOne('/model-management/jobs?limit=20').flush([]);
    api.job('0b0e-1').subscribe();
    backend.expectOne('/model-management/jobs/0b0e-1').flush({});
  });

  it('binds with a reason only when one is given, and unbinds with it as a query parameter', () => {
    api.bind('web', 'web-model', '  ').subscribe();
    const bind = backend.expectOne('/model-management/sources/web');
    expect(bind.request.method).toBe('PUT');
    expect(bind.request.body).toEqual({ model: 'web-model' });
    bind.flush({});
    api.unbind('web', 'back to default').subscribe();
    const unbind = backend.expectOne('/model-management/sources/web?reason=back%20to%20default');
    expect(unbind.request.method).toBe('DELETE');
    unbind.flush({});
  });

  it("hands on the gateway's { code, message } as the error", () => {
    let error: ApiError | null = null;
    api.bind('web', 'nope').subscribe({ error: (e: ApiError) => (error = e) });
    backend
      .expectOne('/model-management/sources/web')
      .flush({ code: 'NOT_FOUND', message: 'no model "nope"' }, { status: 404, statusText: 'Not Found' });
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'no model "nope"' });
  });
});
