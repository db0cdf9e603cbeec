import { EventCountFeaturizer } from './event-count-features';

describe('EventCountFeaturizer', () => {
  const vocab = [
    { id: 'E5', description: 'Receiving block <*> src: <*> dest: <*>' },
    { id: 'E22', description: 'BLOCK* NameSystem.allocateBlock: <*>' },
  ];

  it('counts templates in vocabulary order and everything else as unseen, with level counts and rate', () => {
    const f = new EventCountFeaturizer(vocab);
    expect(f.schema.features.map((x) => x.name)).toEqual([
      'E5',
      'E22',
      'unseen_templates',
      'error_events',
      'warning_events',
      'events',
      'events_per_minute',
    ]);
    const row = f.vectorOf(
      [
        { templateId: 'E22', level: 'INFO' },
        { templateId: 'E5' },
        { templateId: 'E5', level: 'FATAL' },
        { templateId: 'new-1', level: 'warn' },
      ],
      120_000,
    );
    expect(row).toEqual([2, 1, 1, 1, 1, 4, 2]);
  });

  it('can leave the generic columns out (a plain event-count matrix row)', () => {
    const f = new EventCountFeaturizer(vocab, [], 'hdfs.v1');
    expect(f.schema).toEqual({
      version: 'hdfs.v1',
      features: [
        { name: 'E5', dtype: 'float32', description: vocab[0].description },
        { name: 'E22', dtype: 'float32', description: vocab[1].description },
      ],
    });
    expect(f.vectorOf(['E5', 'E5', 'E9'].map((templateId) => ({ templateId })))).toEqual([2, 0]);
  });

  it('refuses a vocabulary with a repeated template', () => {
    expect(() => new EventCountFeaturizer([{ id: 'a' }, { id: 'a' }])).toThrow(/twice/);
  });
});
