import { toPipelineInput } from './record-input';
import { templateTexts, windowAttributions } from './window-scorer';
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

describe('windowAttributions', () => {
  const explanation = {
    method: 'tree-shap' as const,
    approximate: false,
    outputSpace: 'logit' as const,
    baseValue: -2,
    outputValue: 1.5,
    attributions: [
      { feature: 'E5', value: 12, contribution: 2.5 },
      { feature: 'events', value: 40, contribution: 0.75 },
      { feature: 'E9', value: 0, contribution: 0.25 },
      { feature: 'E1', value: 3, contribution: 0 },
    ],
  };

  it('lists the attributions ranked by |contribution| (non-zero only) and names template columns by their text', () => {
    const version = {
      featureSchema: { version: 'hdfs', features: [{ name: 'E5', dtype: 'float32', description: 'Receiving block <*> src: <*> dest: <*>' }, { name: 'E9', dtype: 'float32' }] },
    } as unknown as Parameters<typeof templateTexts>[0];
    const { topFeatures, explanation: e } = windowAttributions(explanation, templateTexts(version, ['E5', 'events', 'E9', 'E1']));
    expect(topFeatures).toEqual([
      { name: 'E5', value: 12, reference: null, contribution: 2.5, template: 'Receiving block <*> src: <*> dest: <*>' },
      { name: 'events', value: 40, reference: null, contribution: 0.75 },
      { name: 'E9', value: 0, reference: null, contribution: 0.25, template: 'E9' },
    ]);
    expect(e).toEqual({ method: 'tree-shap', approximate: false, outputSpace: 'logit', baseValue: -2, outputValue: 1.5, otherContribution: 0 });
  });

  it('keeps the decomposition whole: base + listed + other = output, with no sentinel anywhere', () => {
    const many = { ...explanation, attributions: Array.from({ length: 9 }, (_, i) => ({ feature: `f${i}`, value: i, reference: 0, contribution: (9 - i) / 10 })) };
    const total = many.attributions.reduce((s, a) => s + a.contribution, 0);
    const { topFeatures, explanation: e } = windowAttributions({ ...many, outputValue: many.baseValue + total }, null);
    expect(topFeatures).toHaveLength(5);
    expect(topFeatures.every((f) => f.template === undefined && f.reference === 0)).toBe(true);
    const listed = topFeatures.reduce((s, f) => s + f.contribution, 0);
    expect(e!.baseValue + listed + e!.otherContribution).toBeCloseTo(e!.outputValue, 12);
  });
});
