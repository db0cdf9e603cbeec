import { TestBed } from '@angular/core/testing';
import { BaselineTableComponent, baselineRows } from './baseline-table.component';

const version = {
  metadata: {
    baseline: {
      quantiles: [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1],
      perFeature: { t01: [0, 0, 1, 2, 4, 5, 7, 8, 9], events: [1, 2, 3, 4, 9, 10, 11, 12, 13.25] },
    },
  },
  featureSchema: {
    version: 'source-templates.v1',
    features: [
      { name: 't01', dtype: 'float32' as const, description: 'GET /api/items/<*> 200 in <*> ms' },
      { name: 'events', dtype: 'float32' as const, description: 'events in the window' },
    ],
  },
};

describe('training baseline', () => {
  it('reads the median, p95, p99 and max of each feature, with what the feature counts', () => {
    expect(baselineRows(version)).toEqual([
      { feature: 't01', description: 'GET /api/items/<*> 200 in <*> ms', values: [4, 7, 8, 9] },
      { feature: 'events', description: 'events in the window', values: [9, 11, 12, 13.25] },
    ]);
  });

  it('leaves out quantiles the baseline lacks, and has no rows without a baseline', () => {
    const partial = {
      metadata: { baseline: { quantiles: [0.5], perFeature: { x: [3] } } },
      featureSchema: null,
    };
    expect(baselineRows(partial)).toEqual([{ feature: 'x', description: '', values: [3, null, null, null] }]);
    expect(baselineRows({ metadata: {}, featureSchema: null })).toEqual([]);
  });

  it('renders one row per feature, and says so when there is no baseline', () => {
    const fixture = TestBed.createComponent(BaselineTableComponent);
    fixture.componentRef.setInput('version', version);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const rows = el.querySelectorAll('tr.baseline-row');
    expect(rows).toHaveLength(2);
    expect(rows[1].textContent).toContain('events in the window');
    expect(rows[1].textContent).toContain('13.25');
    expect(el.querySelector('table')?.getAttribute('aria-label')).toBe('Training baseline per feature');
    fixture.componentRef.setInput('version', { metadata: {}, featureSchema: null });
    fixture.detectChanges();
    expect(el.textContent).toContain('holds no training baseline');
  });
});
