import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { WindowResultDto } from '@loglens/contracts';
import { Subject } from 'rxjs';
import { AnomalyFeedService } from '../../core/anomaly-feed.service';
import { API_KEY_STORAGE_KEY } from '../../core/api-key.store';
import { LiveEventsService, type LiveStatus } from '../../core/live-events.service';
import { LiveAnomaliesPageComponent } from './live-anomalies-page.component';

function anomaly(id: string, key = 'ap-2f-a'): WindowResultDto {
  return {
    id,
    agent: 'wifi',
    source: 'site1',
    key,
    start: '2024-06-03T03:00:00Z',
    end: '2024-06-03T03:05:00Z',
    recordCount: 40,
    recordIds: [],
    anomalyScore: 0.93,
    isAnomaly: true,
    threshold: 0.5,
    modelVersion: 'wifi-anomaly@1',
    topFeatures: [{ name: 'deauth_rate', value: 30, baseline: 0, deviation: 12 }],
    analyzedAt: '2024-06-03T03:05:02Z',
  };
}

describe('LiveAnomaliesPageComponent', () => {
  let anomalies: Subject<WindowResultDto>;
  let status: ReturnType<typeof signal<LiveStatus>>;
  let fixture: ComponentFixture<LiveAnomaliesPageComponent>;
  const el = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const ids = () =>
    Array.from(el().querySelectorAll<HTMLElement>('tr.window-row')).map((r) => r.dataset['window']);

  beforeEach(async () => {
    localStorage.setItem(API_KEY_STORAGE_KEY, 'viewer-key');
    anomalies = new Subject<WindowResultDto>();
    status = signal<LiveStatus>('live');
    TestBed.configureTestingModule({
      imports: [LiveAnomaliesPageComponent],
      providers: [
        provideRouter([]),
        { provide: LiveEventsService, useValue: { anomalies, events: new Subject(), status } },
      ],
    });
    // anomalies that arrived on another page, before this one opened
    TestBed.inject(AnomalyFeedService);
    anomalies.next(anomaly('before'));
    fixture = TestBed.createComponent(LiveAnomaliesPageComponent);
    await fixture.whenStable();
  });

  afterEach(() => localStorage.clear());

  it('shows anomalies as they arrive, newest first, without a reload', async () => {
    expect(ids()).toEqual(['before']);
    anomalies.next(anomaly('w1', 'ap-1f-b'));
    anomalies.next(anomaly('w2', 'ap-3f-a'));
    await fixture.whenStable();
    expect(ids()).toEqual(['w2', 'w1', 'before']);
    const first = el().querySelector('tr.window-row')!.textContent!.replace(/\s+/g, ' ');
    expect(first).toContain('site1');
    expect(first).toContain('ap-3f-a');
    expect(first).toContain('anomalous');
    expect(first).toContain('deauth_rate = 30');
    expect(el().textContent).toContain('Connected');
  });

  it('keeps the nav badge at zero while on screen, and counts again after leaving', async () => {
    const feed = TestBed.inject(AnomalyFeedService);
    expect(feed.unseen()).toBe(0);
    anomalies.next(anomaly('w1'));
    expect(feed.unseen()).toBe(0);
    fixture.destroy();
    anomalies.next(anomaly('w2'));
    expect(feed.unseen()).toBe(1);
  });

  it('holds the list still while paused and offers the new ones', async () => {
    const toggle = el().querySelector<HTMLButtonElement>('mat-slide-toggle button')!;
    toggle.click();
    await fixture.whenStable();
    anomalies.next(anomaly('w1'));
    await fixture.whenStable();
    expect(ids()).toEqual(['before']);
    expect(el().textContent).toContain('1 new anomaly while paused.');

    Array.from(el().querySelectorAll('button'))
      .find((b) => b.textContent?.includes('Show them'))!
      .click();
    await fixture.whenStable();
    expect(ids()).toEqual(['w1', 'before']);
  });

  it('says when the stream is down and where the anomalies are meanwhile', async () => {
    status.set('reconnecting');
    await fixture.whenStable();
    expect(el().textContent).toContain('Not connected to the live stream (reconnecting…)');
  });

  it('has an honest empty state', async () => {
    el()
      .querySelectorAll<HTMLButtonElement>('header button')
      .forEach((b) => b.textContent?.includes('Clear') && b.click());
    await fixture.whenStable();
    expect(ids()).toEqual([]);
    expect(el().textContent).toContain('No anomalies since this console opened.');
  });
});
