import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { WindowResultDto } from '@loglens/contracts';
import { Subject } from 'rxjs';
import { AppComponent } from './app.component';
import { AnomalyFeedService } from './core/anomaly-feed.service';
import { LiveEventsService } from './core/live-events.service';

function anomaly(id: string): WindowResultDto {
  return {
    id,
    agent: 'wifi',
    source: 'site1',
    key: 'ap-2f-a',
    start: '2024-06-03T03:00:00Z',
    end: '2024-06-03T03:05:00Z',
    recordCount: 1,
    recordIds: [],
    anomalyScore: 0.9,
    isAnomaly: true,
    threshold: 0.5,
    modelVersion: 'wifi-anomaly@1',
    topFeatures: [],
    analyzedAt: '2024-06-03T03:05:02Z',
  };
}

describe('AppComponent nav', () => {
  it('has a Logs group whose Live anomalies link counts the anomalies not seen yet', async () => {
    const anomalies = new Subject<WindowResultDto>();
    TestBed.configureTestingModule({
      imports: [AppComponent],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: LiveEventsService,
          useValue: { anomalies, events: new Subject(), status: signal('live'), isOwnChange: () => false },
        },
      ],
    });
    const fixture = TestBed.createComponent(AppComponent);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const logs = el.querySelector('mat-nav-list[aria-labelledby="nav-Logs"]')!;
    const links = () => Array.from(logs.querySelectorAll('a')).map((a) => (a.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(links()).toEqual(['Analyze logs', 'Live anomalies', 'Stored results']);

    anomalies.next(anomaly('w1'));
    anomalies.next(anomaly('w2'));
    await fixture.whenStable();
    expect(logs.querySelector('.badge')?.textContent?.trim()).toBe('2');
    expect(logs.querySelectorAll('a')[1].getAttribute('aria-label')).toBe('Live anomalies, 2 new');

    const leave = TestBed.inject(AnomalyFeedService).view();
    await fixture.whenStable();
    expect(logs.querySelector('.badge')).toBeNull();
    expect(logs.querySelectorAll('a')[1].hasAttribute('aria-label')).toBe(false);
    leave();
  });
});
