import { toPipelineInput } from './record-input';
import { baselineFrom, topFeatures } from './window-scorer';
import { windowId } from './window-id';

describe('windowId', () => {
  it('depends only on what the window is, so a redelivered window gets the same id', () => {
    expect(windowId('wifi', 'site1', 'ap1', 0, 300_000)).toBe(windowId('wifi', 'site1', 'ap1', 0, 300_000));
    expect(windowId('wifi', 'site1', 'ap1', 0, 300_000)).not.toBe(windowId('wifi', 'site2', 'ap1', 0, 300_000));
  });

  it('tells apart two windows of one range that start at different records (a split window is stored twice, not once)', () => {
    expect(windowId('wifi', 'site1', 'ap1', 0, 300_000, '17')).toBe(windowId('wifi', 'site1', 'ap1', 0, 300_000, '17'));
    expect(windowId('wifi', 'site1', 'ap1', 0, 300_000, '17')).not.toBe(windowId('wifi', 'site1', 'ap1', 0, 300_000, '18'));
    expect(windowId('wifi', 'site1', 'ap1', 0, 300_000, '17')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('toPipelineInput', () => {
  it('reads raw lines and objects, and names what is wrong with a bad record', () => {
    expect(toPipelineInput('hello', 'src')).toEqual({ message: 'hello', time: null, source: 'src' });
    expect(toPipelineInput({ message: 'x', timestamp: '2026-11-26T08:00:00Z', host: 'ap1', rssi: -70 }, 'src')).toEqual({
      message: 'x',
      time: Date.parse('2026-11-26T08:00:00Z'),
      source: 'src',
      host: 'ap1',
      fields: { rssi: -70 },
    });
    expect(toPipelineInput({ message: 'x', timestamp: 1764144000 }, 's')).toMatchObject({ time: 1764144000000 });
    expect(toPipelineInput({ text: 'no message' } as never, 's')).toEqual({ error: 'the record has no "message" string' });
    expect(toPipelineInput({ message: 'x', timestamp: 'yesterday' }, 's')).toEqual({ error: 'timestamp "yesterday" is not a date' });
    expect(toPipelineInput(42 as never, 's')).toHaveProperty('error');
  });
});

describe('topFeatures', () => {
  it('ranks features by distance from the training median in units of training spread', () => {
    const top = topFeatures([10, 1, 5], ['a', 'b', 'c'], { median: [1, 1, 1], spread: [1, 1, 1], constant: [false, false, false] });
    expect(top.map((t) => t.name)).toEqual(['a', 'c']);
    expect(top[0]).toEqual({ name: 'a', value: 10, baseline: 1, deviation: 9 });
  });

  it('never prints a sentinel: a feature that never varied in training counts from its median and says so', () => {
    const version = {
      metadata: { baseline: { quantiles: [0.05, 0.5, 0.95], perFeature: { other_events: [0, 0, 0], events: [10, 20, 30] } } },
    } as unknown as Parameters<typeof baselineFrom>[0];
    const baseline = baselineFrom(version, ['other_events', 'events']);
    const top = topFeatures([8, 20], ['other_events', 'events'], baseline);
    expect(top).toEqual([{ name: 'other_events', value: 8, baseline: 0, deviation: 8, note: 'new: never seen in training (deviation = the count)' }]);
  });
});
