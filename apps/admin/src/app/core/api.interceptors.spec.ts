import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { ApiError } from './api-error';
import { ApiKeyStore } from './api-key.store';
import { apiErrorInterceptor, apiKeyInterceptor } from './api.interceptors';

describe('API interceptors', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let keys: ApiKeyStore;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    keys = TestBed.inject(ApiKeyStore);
  });

  afterEach(() => backend.verify());

  it('sends the stored key as x-api-key on /api requests', async () => {
    keys.set('  k-operator-1 ');
    const reply = firstValueFrom(http.get('/api/v1/models'));
    const req = backend.expectOne('/api/v1/models');
    expect(req.request.headers.get('x-api-key')).toBe('k-operator-1');
    req.flush({ models: [] });
    await expect(reply).resolves.toEqual({ models: [] });
  });

  it('keeps the key off requests outside the gateway API and sends none when no key is set', () => {
    keys.set('secret');
    http.get('/favicon.svg').subscribe();
    expect(backend.expectOne('/favicon.svg').request.headers.has('x-api-key')).toBe(false);
    http.get('https://elsewhere.example/api/v1/models').subscribe();
    expect(backend.expectOne('https://elsewhere.example/api/v1/models').request.headers.has('x-api-key')).toBe(false);
    // the readiness details (instances, serving versions) need the key
    http.get('/health/ready').subscribe();
    expect(backend.expectOne('/health/ready').request.headers.get('x-api-key')).toBe('secret');

    keys.clear();
    http.get('/api/v1/models').subscribe({ error: () => undefined });
    expect(backend.expectOne('/api/v1/models').request.headers.has('x-api-key')).toBe(false);
  });

  it('remembers the key across reloads through localStorage', () => {
    keys.set('persisted');
    TestBed.resetTestingModule();
    expect(TestBed.inject(ApiKeyStore).key()).toBe('persisted');
  });

  it('turns an ErrorBody into an ApiError carrying its message, code and details', async () => {
    const reply = firstValueFrom(http.post('/api/v1/models/predict', { rows: [] }));
    backend.expectOne('/api/v1/models/predict').flush(
      {
        code: 'VALIDATION_FAILED',
        message: 'rows must contain at least one row',
        details: ['rows: too few'],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    const err = await reply.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      message: 'rows must contain at least one row',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: ['rows: too few'],
    });
  });

  it('keeps the validation checks of a refused model file as records, and drops malformed ones', async () => {
    const reply = firstValueFrom(http.post('/model-management/models/m/versions', {}));
    const protobuf = { check: 'protobuf', outcome: 'fail', message: 'The file is not a readable ONNX model' };
    backend.expectOne('/model-management/models/m/versions').flush(
      {
        code: 'INVALID_MODEL',
        message: 'model refused',
        details: ['fail: protobuf: The file is not a readable ONNX model'],
        checks: [protobuf, { check: 'limits', outcome: 'maybe', message: 'x' }, 'fail: scaler: text'],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    const err = await reply.catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, code: 'INVALID_MODEL', checks: [protobuf] });
  });

    it('says what to do about a missing key or a too-weak role', async () => {
    const unauthorized = firstValueFrom(http.get('/api/v1/models'));
    backend.expectOne('/api/v1/models').flush(null, { status: 401, statusText: 'Unauthorized' });
    await expect(unauthorized).rejects.toThrow(/Set a valid key in Settings/);

    const forbidden = firstValueFrom(http.post('/api/v1/models/m@2/deploy', {}));
    backend.expectOne('/api/v1/models/m@2/deploy').flush(null, { status: 403, statusText: 'Forbidden' });
    await expect(forbidden).rejects.toThrow(/higher role/);
  });

  it('reports an unreachable gateway in plain words', async () => {
    const reply = firstValueFrom(http.get('/api/v1/models'));
    backend.expectOne('/api/v1/models').error(new ProgressEvent('error'), { status: 0 });
    await expect(reply).rejects.toThrow(/Cannot reach the gateway/);
  });
});
