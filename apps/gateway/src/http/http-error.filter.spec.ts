import { NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { LogLensError } from '@loglens/contracts';
import { toHttpError } from './http-error.filter';

describe('toHttpError', () => {
  it('maps service error codes to HTTP statuses and keeps the body', () => {
    expect(toHttpError(new LogLensError('VALIDATION_FAILED', 'bad', ['rows: x']))).toEqual([400, { code: 'VALIDATION_FAILED', message: 'bad', details: ['rows: x'] }]);
    expect(toHttpError(new LogLensError('UNAVAILABLE', 'no worker'))[0]).toBe(503);
    expect(toHttpError(new LogLensError('TIMEOUT', 'slow'))[0]).toBe(504);
  });

  it('turns Nest and body-parser errors into the same body shape', () => {
    expect(toHttpError(new NotFoundException('Cannot GET /x'))).toEqual([404, { code: 'NOT_FOUND', message: 'Cannot GET /x' }]);
    expect(toHttpError(new PayloadTooLargeException())[1].code).toBe('PAYLOAD_TOO_LARGE');
    expect(toHttpError({ status: 400, type: 'entity.parse.failed', message: 'Unexpected token' })[1].message).toMatch(/not valid JSON/);
  });

  it('never leaks an unexpected error', () => {
    expect(toHttpError(new Error('secret stack'))).toEqual([500, { code: 'INTERNAL', message: 'internal error' }]);
  });
});
