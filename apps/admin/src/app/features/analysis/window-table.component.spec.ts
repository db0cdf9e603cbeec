import { Component, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { WindowTableComponent } from './window-table.component';
import type { WindowView } from './windows';

function view(id: string, isAnomaly: boolean, anomalyScore: number | null, extra: Partial<WindowView> = {}): WindowView {
  return {
    id,
    key: `ap-${id}`,
    agent: 'wifi',
    source: 'site1',
    start: '2024-06-03T03:00:00Z',
    end: '2024-06-03T03:05:00Z',
    recordCount: 3,
    anomalyScore,
    isAnomaly,
    threshold: anomalyScore === null ? null : 0.5,
    modelVersion: anomalyScore === null ? null : 'wifi-anomaly@1',
    topFeatures: isAnomaly ? [{ name: 'deauth_rate', value: 40, baseline: 0, deviation: 9 }] : [],
    explanation: null,
    receivedAt: null,
    ...extra,
  };
}

@Component({
  imports: [WindowTableComponent],
  template: `
    <ll-window-table
      [windows]="windows()"
      [anomaliesFirst]="first()"
      label="Windows"
      [pageSize]="pageSize()"
      [detail]="withDetail() ? detail : null"
    />
    <ng-template #detail let-w><p class="detail">records of {{ w.key }}</p></ng-template>
  `,
})
class HostComponent {
  readonly windows = signal<WindowView[]>([
    view('n1', false, 0.1),
    view('a1', true, 0.7),
    view('u1', false, null),
    view('a2', true, 0.95),
  ]);
  readonly first = signal(true);
  readonly pageSize = signal(200);
  readonly withDetail = signal(true);
}

describe('WindowTableComponent', () => {
  let fixture: ComponentFixture<HostComponent>;
  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const rows = () => Array.from(el().querySelectorAll<HTMLTableRowElement>('tr.window-row'));
  const ids = () => rows().map((r) => r.dataset['window']);

  beforeEach(async () => {
    fixture = TestBed.createComponent(HostComponent);
    await fixture.whenStable();
  });

  it('sorts anomalous windows first by score and highlights them, with the prediction in words', async () => {
    expect(ids()).toEqual(['a2', 'a1', 'n1', 'u1']);
    expect(rows().map((r) => r.classList.contains('anomalous'))).toEqual([true, true, false, false]);
    expect(rows().map((r) => r.querySelector('.prediction')?.textContent?.trim())).toEqual([
      'anomalous',
      'anomalous',
      'normal',
      'not scored',
    ]);
    const first = rows()[0].textContent?.replace(/\s+/g, ' ') ?? '';
    expect(first).toContain('ap-a2');
    expect(first).toContain('0.95');
    expect(first).toContain('wifi-anomaly@1');
    expect(first).toContain('deauth_rate = 40 (usual 0, deviation 9)');
    expect(rows()[3].textContent).toContain('none');

    fixture.componentInstance.first.set(false);
    await fixture.whenStable();
    expect(ids()).toEqual(['n1', 'a1', 'u1', 'a2']);
    expect(rows()[3].classList.contains('anomalous')).toBe(true);
  });

  it('expands a window into its drill-down by a button that says what it shows and whether it is open', async () => {
    const button = rows()[0].querySelector<HTMLButtonElement>('button.expand')!;
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('aria-label')).toMatch(/^Show the records of window ap-a2, /);
    expect(el().querySelector('.detail')).toBeNull();

    button.click();
    await fixture.whenStable();
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const detail = el().querySelector('tr.detail-row td')!;
    expect(detail.id).toBe(button.getAttribute('aria-controls'));
    expect(detail.textContent).toContain('records of ap-a2');
    expect(detail.getAttribute('colspan')).toBe('7');

    button.click();
    await fixture.whenStable();
    expect(el().querySelector('.detail')).toBeNull();
  });

  it('offers no expand button without a drill-down', async () => {
    fixture.componentInstance.withDetail.set(false);
    await fixture.whenStable();
    expect(el().querySelectorAll('button.expand')).toHaveLength(0);
  });

  it('expands an explained window into the waterfall of its attributions, even without a drill-down', async () => {
    fixture.componentInstance.withDetail.set(false);
    fixture.componentInstance.windows.set([
      view('x1', true, 0.9, {
        topFeatures: [
          { name: 'E5', template: 'Receiving block <*>', value: 12, reference: null, contribution: 0.5 },
          { name: 'E9', value: 3, reference: null, contribution: 1.75 },
        ],
        explanation: { method: 'tree-shap', approximate: false, outputSpace: 'logit', baseValue: -2, outputValue: 0.5, otherContribution: 0.25 },
      }),
      view('n1', false, 0.1),
    ]);
    await fixture.whenStable();
    const buttons = el().querySelectorAll<HTMLButtonElement>('button.expand');
    expect(buttons).toHaveLength(1); // the unexplained window has nothing to show
    expect(buttons[0].getAttribute('aria-label')).toMatch(/^Show the attributions of window ap-x1, /);
    buttons[0].click();
    await fixture.whenStable();
    const steps = Array.from(el().querySelectorAll<HTMLTableRowElement>('ll-attribution-waterfall tr.step'));
    // base, the features by |contribution| (E9 first), the rest together, output
    expect(steps.map((r) => r.dataset['kind'])).toEqual(['base', 'feature', 'feature', 'other', 'output']);
    expect(steps.map((r) => r.querySelector('th code')?.textContent)).toEqual(['base value', 'E9', 'E5', 'other features', 'output']);
    expect(steps[2].textContent).toContain('Receiving block <*>');
    expect(steps.map((r) => r.querySelector('td.num:last-child')?.textContent?.trim())).toEqual(['-2', '+1.75', '+0.5', '+0.25', '0.5']);
    const caption = el().querySelector('ll-attribution-waterfall figcaption')?.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(caption).toContain('Exact attributions (TreeSHAP) in log-odds');
    expect(caption).toContain('score 0.6225'); // sigmoid(0.5)
    // every bar grows upwards here: each starts where the previous one ended
    const bars = Array.from(el().querySelectorAll<HTMLElement>('ll-attribution-waterfall .bar'));
    expect(bars.every((b) => b.classList.contains('up'))).toBe(true);
    const left = bars.map((b) => parseFloat(b.style.left));
    expect(left[0]).toBeLessThan(left[1]);
    expect(left[1]).toBeLessThan(left[2]);
  });

  it('renders a page of rows at a time, anomalies included first', async () => {
    fixture.componentInstance.pageSize.set(2);
    await fixture.whenStable();
    expect(ids()).toEqual(['a2', 'a1']);
    expect(el().textContent).toContain('Showing 2 of 4 windows.');
    Array.from(el().querySelectorAll('button'))
      .find((b) => b.textContent?.includes('Show 2 more'))!
      .click();
    await fixture.whenStable();
    expect(ids()).toHaveLength(4);
  });
});
