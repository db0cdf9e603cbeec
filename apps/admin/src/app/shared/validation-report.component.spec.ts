import { reportFromDetails } from './validation-report.component';

describe('reportFromDetails', () => {
  it('turns the details of a refused upload into report rows', () => {
    expect(
      reportFromDetails([
        'fail: protobuf: The file is not a readable ONNX model: index out of range',
        'warn: outputs: output "probabilities" is not served',
        'something else went wrong',
      ]),
    ).toEqual({
      outcome: 'fail',
      checks: [
        {
          outcome: 'fail',
          check: 'protobuf',
          message: 'The file is not a readable ONNX model: index out of range',
        },
        { outcome: 'warn', check: 'outputs', message: 'output "probabilities" is not served' },
        { outcome: 'fail', check: '', message: 'something else went wrong' },
      ],
    });
  });
});
