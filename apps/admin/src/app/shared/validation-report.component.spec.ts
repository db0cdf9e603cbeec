import { TestBed } from '@angular/core/testing';
import { ValidationReportComponent, refusedReport } from './validation-report.component';

describe('ValidationReportComponent', () => {
  it('shows one row per check record of a refused file, with its outcome and message', async () => {
    const fixture = TestBed.createComponent(ValidationReportComponent);
    fixture.componentRef.setInput(
      'report',
      refusedReport([
        { check: 'protobuf', outcome: 'fail', message: 'The file is not a readable ONNX model: index out of range' },
        { check: 'outputs', outcome: 'warn', message: 'output "probabilities" is not served' },
      ]),
    );
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const rows = Array.from(el.querySelectorAll('tr.check-row')).map((r) => [
      r.getAttribute('data-check'),
      r.querySelector('.outcome-chip')?.textContent?.trim(),
      r.querySelector('.message')?.textContent?.trim(),
    ]);
    expect(rows).toEqual([
      ['protobuf', 'fail', 'The file is not a readable ONNX model: index out of range'],
      ['outputs', 'warn', 'output "probabilities" is not served'],
    ]);
    expect(el.querySelector('.summary')?.textContent).toContain('Validation failed.');
    expect(el.querySelector('.summary')?.textContent).toContain('0 pass · 1 warn · 1 fail');
  });
});
