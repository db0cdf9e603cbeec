import { HttpEventType, HttpResponse } from '@angular/common/http';
import type { CommitUploadReply } from '@loglens/contracts';
import { ApiError } from '../../core/api-error';
import { isBusy, progressPercent, progressText, stateOfError, stateOfEvent } from './upload-state';

const reply = {
  version: { ref: 'iris@1', status: 'validated' },
  duplicateOf: null,
} as unknown as CommitUploadReply;

describe('stateOfEvent', () => {
  it('follows the bytes sent, then waits for the validation once all are sent', () => {
    expect(stateOfEvent({ type: HttpEventType.UploadProgress, loaded: 40, total: 100 })).toEqual({
      step: 'uploading',
      loaded: 40,
      total: 100,
    });
    expect(stateOfEvent({ type: HttpEventType.UploadProgress, loaded: 40 })).toEqual({
      step: 'uploading',
      loaded: 40,
      total: null,
    });
    expect(stateOfEvent({ type: HttpEventType.UploadProgress, loaded: 100, total: 100 })).toEqual({
      step: 'validating',
    });
    expect(stateOfEvent({ type: HttpEventType.Sent })).toBeNull();
  });

  it('ends on the reply: 201 a new version, 200 the same bytes already registered', () => {
    expect(stateOfEvent(new HttpResponse({ body: reply, status: 201 }))).toEqual({
      step: 'done',
      reply,
      duplicate: false,
    });
    expect(stateOfEvent(new HttpResponse({ body: reply, status: 200 }))).toEqual({
      step: 'done',
      reply,
      duplicate: true,
    });
    expect(stateOfEvent(new HttpResponse<CommitUploadReply>({ body: null, status: 201 }))).toBeNull();
  });
});

describe('stateOfError', () => {
  it('keeps a refusal’s checks and words any other failure', () => {
    const checks = [{ check: 'protobuf', outcome: 'fail' as const, message: 'not ONNX' }];
    expect(
      stateOfError(new ApiError('broken.onnx is not a usable model', 422, null, [], null, checks)),
    ).toEqual({
      step: 'refused',
      message: 'broken.onnx is not a usable model',
      checks,
    });
    expect(stateOfError(new ApiError('Payload too large', 413))).toEqual({
      step: 'error',
      message: 'Payload too large',
    });
    expect(stateOfError('offline')).toEqual({ step: 'error', message: 'offline' });
  });
});

describe('progress', () => {
  it('is busy while sending or validating', () => {
    expect(isBusy({ step: 'uploading', loaded: 0, total: null })).toBe(true);
    expect(isBusy({ step: 'validating' })).toBe(true);
    expect(isBusy({ step: 'idle' })).toBe(false);
    expect(isBusy({ step: 'error', message: 'x' })).toBe(false);
  });

  it('gives the percent and the bytes sent when the total is known, else only the bytes', () => {
    expect(progressPercent({ step: 'uploading', loaded: 40, total: 100 })).toBe(40);
    expect(progressText({ step: 'uploading', loaded: 40, total: 100 })).toBe('40 B of 100 B (40 %)');
    expect(progressPercent({ step: 'uploading', loaded: 2048, total: null })).toBeNull();
    expect(progressText({ step: 'uploading', loaded: 2048, total: null })).toBe('2.0 KiB');
    expect(progressText({ step: 'validating' })).toBe('');
  });
});
