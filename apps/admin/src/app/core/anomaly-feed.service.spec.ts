import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { WindowResultDto } from '@loglens/contracts';
import { Subject } from 'rxjs';
import { AnomalyFeedService, FEED_MAX } from './anomaly-feed.service';
import { LiveEventsService } from './live-events.service';

function anomaly(id: string, extra: Partial<WindowResultDto> = {}): WindowResultDto {
  return {
    id,
    agent: 'wifi',
    source: 'site1',
    key: 'ap-2f-a',
    start: '2024-06-03T03:00:00Z',
    end: '2024-06-03T03:05:00Z',
    recordCount: 40,
    recordIds: ['1', '2'],
    anomalyScore: 0.93,
    isAnomaly: true,
    threshold: 0.5,
    modelVersion: 'wifi-anomaly@1',
    topFeatures: [{ name: 'deauth_rate', value: 30, baseline: 0, deviation: 12 }],
    analyzedAt: '2024-06-03T03:05:02Z',
    ...extra,
  };
}

describe('AnomalyFeedService', () => {
  let anomalies: Subject<WindowResultDto>;
  let feed: AnomalyFeedService;

  beforeEach(() => {
    anomalies = new Subject<WindowResultDto>();
    TestBed.configureTestingModule({
      providers: [
        {
          provide: LiveEventsService,
          useValue: { anomalies, events: new Subject(), status: signal('live') },
        },
      ],
    });
    feed = TestBed.inject(AnomalyFeedService);
  });

  it('collects live anomalies newest first and shows a redelivered window once', () => {
    anomalies.next(anomaly('w1'));
    anomalies.next(anomaly('w2'));
    anomalies.next(anomaly('w1'));
    expect(feed.items().map((i) => i.window.id)).toEqual(['w2', 'w1']);
    expect(feed.total()).toBe(2);
    expect(feed.items()[0].receivedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it(`keeps the latest ${FEED_MAX} and still counts every one`, () => {
    for (let i = 0; i < FEED_MAX + 25; i++) anomalies.next(anomaly(`w${i}`));
    expect(feed.items()).toHaveLength(FEED_MAX);
    expect(feed.items()[0].window.id).toBe(`w${FEED_MAX + 24}`);
    expect(feed.items()[FEED_MAX - 1].window.id).toBe('w25');
    expect(feed.total()).toBe(FEED_MAX + 25);
  });

  it('counts the unseen ones until the page is viewed, and none while it is on screen', () => {
    anomalies.next(anomaly('w1'));
    anomalies.next(anomaly('w2'));
    expect(feed.unseen()).toBe(2);

    const leave = feed.view();
    expect(feed.unseen()).toBe(0);
    anomalies.next(anomaly('w3'));
    expect(feed.unseen()).toBe(0);

    leave();
    leave(); // idempotent
    anomalies.next(anomaly('w4'));
    expect(feed.unseen()).toBe(1);
  });

  it('empties the list on clear', () => {
    anomalies.next(anomaly('w1'));
    feed.clear();
    expect(feed.items()).toEqual([]);
    expect(feed.unseen()).toBe(0);
  });
});
