import { HttpEventType, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { apiErrorInterceptor } from '../../core/api.interceptors';
import { LiveEventsService } from '../../core/live-events.service';
import type { UploadState } from './upload-state';
import { UploadData } from './upload.data';

describe('UploadData', () => {
  let backend: HttpTestingController;
  let data: UploadData;
  const noteOwnChange = jest.fn();

  beforeEach(() => {
    noteOwnChange.mockReset();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: LiveEventsService, useValue: { noteOwnChange } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    data = TestBed.inject(UploadData);
  });

  afterEach(() => backend.verify());

  it('sends nothing until subscribed, then notes the change as its own and reports each step', () => {
    const upload = data.upload('iris', {
      model: new File([new Uint8Array(100)], 'rf_iris.onnx'),
      scaler: null,
      metadata: '',
    });
    backend.expectNone('/model-management/models/iris/versions');
    expect(noteOwnChange).not.toHaveBeenCalled();

    const states: UploadState[] = [];
    let completed = false;
    upload.subscribe({ next: (s) => states.push(s), complete: () => (completed = true) });
    expect(noteOwnChange).toHaveBeenCalledWith('iris');
    const req = backend.expectOne('/model-management/models/iris/versions');
    expect((req.request.body as FormData).get('model')).toBeInstanceOf(File);
    req.event({ type: HttpEventType.UploadProgress, loaded: 40, total: 100 });
    req.event({ type: HttpEventType.UploadProgress, loaded: 100, total: 100 });
    req.flush(
      { version: { ref: 'iris@1', status: 'validated' }, duplicateOf: null },
      { status: 201, statusText: 'Created' },
    );
    expect(states.map((s) => s.step)).toEqual(['uploading', 'validating', 'done']);
    expect(completed).toBe(true);
  });

  it('lists the known models', () => {
    let names: string[] = [];
    data.models().subscribe((r) => (names = r.models.map((m) => m.name)));
    backend.expectOne('/api/v1/models').flush({ models: [{ name: 'iris', versions: [] }] });
    expect(names).toEqual(['iris']);
  });
});
