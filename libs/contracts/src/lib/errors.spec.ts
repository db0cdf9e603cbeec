import { LogLensError, formatCheck } from './errors';
import type { ValidationCheckDto } from './validation.dto';

describe('LogLensError.invalidModel', () => {
  const checks: ValidationCheckDto[] = [
    { check: 'limits', outcome: 'pass', message: 'Sizes are within the limits.' },
    { check: 'protobuf', outcome: 'fail', message: 'The file is not a readable ONNX model: index out of range' },
  ];

  it('carries the checks as records and, for API users, as readable lines', () => {
    expect(LogLensError.invalidModel('model refused', checks).toBody()).toEqual({
      code: 'INVALID_MODEL',
      message: 'model refused',
      details: ['pass: limits: Sizes are within the limits.', 'fail: protobuf: The file is not a readable ONNX model: index out of range'],
      checks,
    });
  });

  it('keeps the checks through a reply body (over NATS and in the idempotency store)', () => {
    const back = LogLensError.fromBody(JSON.parse(JSON.stringify(LogLensError.invalidModel('model refused', checks).toBody())));
    expect(back.checks).toEqual(checks);
    expect(back.details).toEqual(checks.map(formatCheck));
  });

  it('leaves checks out of bodies that have none', () => {
    expect(new LogLensError('CONFLICT', 'x').toBody()).toEqual({ code: 'CONFLICT', message: 'x' });
  });
});
