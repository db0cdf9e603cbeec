import { type HttpEvent, HttpEventType, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { routes } from '@loglens/client';
import { ApiError } from './api-error';
import { apiErrorInterceptor } from './api.interceptors';
import { Gateway } from './gateway.service';
import { SourcesData } from './data/sources.data';
import { TrainingData } from './data/training.data';

describe('Gateway (routes of @loglens/client over HttpClient)', () => {
  let gw: Gateway;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting()],
    });
    gw = TestBed.inject(Gateway);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('sends the route’s method, path, JSON body and header; a bodiless POST carries no body', () => {
    gw.call(routes.models.predict({ model: 'iris', rows: [[1, 2]], routeKey: 'user-7' })).subscribe();
    const predict = backend.expectOne('/api/v1/models/predict');
    expect(predict.request.method).toBe('POST');
    expect(predict.request.body).toEqual({ model: 'iris', rows: [[1, 2]] });
    expect(predict.request.headers.get('x-loglens-route-key')).toBe('user-7');
    predict.flush({});
    gw.call(routes.lifecycle.validate('iris@2')).subscribe();
    const validate = backend.expectOne('/model-management/iris%402/validate');
    expect(validate.request.method).toBe('POST');
    expect(validate.request.body).toBeNull();
    validate.flush({});
  });

  it('leaves empty filters out of the query', () => {
    gw.call(routes.lifecycle.history({ model: 'iris', from: '', limit: 20 })).subscribe();
    backend.expectOne('/model-management/history?model=iris&limit=20').flush({ entries: [] });
    gw.call(routes.analysis.results({ anomalous: false, source: undefined })).subscribe();
    backend.expectOne('/api/v1/analysis/results?anomalous=false').flush({ results: [] });
  });

  it('uploads a multipart body with the files’ own names and reports upload progress', () => {
    const model = new File([new Uint8Array([1, 2, 3])], 'iris.onnx');
    const events: HttpEvent<unknown>[] = [];
    gw.callWithProgress(routes.lifecycle.upload('iris', { model, modelFilename: model.name, metadata: '{"a":1}' })).subscribe((e) =>
      events.push(e),
    );
    const req = backend.expectOne('/model-management/models/iris/versions');
    expect(req.request.reportProgress).toBe(true);
    const form = req.request.body as FormData;
    expect((form.get('model') as File).name).toBe('iris.onnx');
    expect(form.get('metadata')).toBe('{"a":1}');
    expect(form.has('scaler')).toBe(false);
    req.event({ type: HttpEventType.UploadProgress, loaded: 1, total: 3 });
    req.flush({ version: { ref: 'iris@1' } }, { status: 201, statusText: 'Created' });
    expect(events.map((e) => e.type)).toEqual([HttpEventType.Sent, HttpEventType.UploadProgress, HttpEventType.Response]);
  });

  it('sends a log file for training as multipart, the other fields as the text the gateway reads', () => {
    const file = new File(['2026-12-01T00:00:00Z hello\n'], 'app.log');
    TestBed.inject(TrainingData).trainFromFile('app', file, { sources: ['a', 'b'], windowMs: 60000, bind: true, deploy: true }).subscribe();
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

  it('binds with a reason only when one is given, and unbinds with it as a query parameter', () => {
    const sources = TestBed.inject(SourcesData);
    sources.bind('web', 'web-model', '  ').subscribe();
    const bind = backend.expectOne('/model-management/sources/web');
    expect(bind.request.method).toBe('PUT');
    expect(bind.request.body).toEqual({ model: 'web-model' });
    bind.flush({});
    sources.unbind('web', 'back to default').subscribe();
    const unbind = backend.expectOne('/model-management/sources/web?reason=back%20to%20default');
    expect(unbind.request.method).toBe('DELETE');
    unbind.flush({});
  });

  it("hands on the gateway's { code, message } as an ApiError", () => {
    let error: ApiError | null = null;
    TestBed.inject(SourcesData)
      .bind('web', 'nope')
      .subscribe({ error: (e: ApiError) => (error = e) });
    backend
      .expectOne('/model-management/sources/web')
      .flush({ code: 'NOT_FOUND', message: 'no model "nope"' }, { status: 404, statusText: 'Not Found' });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'no model "nope"' });
  });
});
