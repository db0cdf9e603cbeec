import { TestBed } from '@angular/core/testing';
import { LineChartComponent, niceStep } from './line-chart.component';

describe('niceStep', () => {
  it('lands grid lines on 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(10, 4)).toBe(5);
    expect(niceStep(7, 4)).toBe(2);
    expect(niceStep(0.3, 4)).toBeCloseTo(0.1);
    expect(niceStep(0, 4)).toBe(1);
  });
});

describe('LineChartComponent', () => {
  it('draws a line per series, breaks it at empty buckets and summarises it for screen readers', async () => {
    const fixture = TestBed.createComponent(LineChartComponent);
    const t0 = Date.parse('2026-11-26T08:00:00Z');
    fixture.componentRef.setInput('title', 'Requests per 10 s');
    fixture.componentRef.setInput('series', [
      {
        name: 'requests',
        color: '#000',
        points: [
          { t: t0, v: 2 },
          { t: t0 + 10_000, v: null },
          { t: t0 + 20_000, v: 8 },
          { t: t0 + 30_000, v: 4 },
        ],
      },
    ]);
    await fixture.whenStable();
    const svg = (fixture.nativeElement as HTMLElement).querySelector('svg')!;
    const d = svg.querySelector('path.line')!.getAttribute('d')!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(svg.getAttribute('aria-label')).toBe('Requests per 10 s. requests: latest 4, peak 8.');
  });

  it('says when there is no data in the window', async () => {
    const fixture = TestBed.createComponent(LineChartComponent);
    fixture.componentRef.setInput('title', 'p95');
    fixture.componentRef.setInput('series', [{ name: 'p95', color: '#000', points: [] }]);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('no data in this window');
  });
});
