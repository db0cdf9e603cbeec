import { TemplateMiner, TemplateMinerState } from './template-miner';

const roundTrip = (miner: TemplateMiner): TemplateMiner =>
  TemplateMiner.fromJSON(JSON.parse(JSON.stringify(miner.toJSON())) as TemplateMinerState);

// a small stream with value changes, word-distinct events, a word position that turns variable after five users,
// and a leading token that varies without being a value
const STREAM = [
  'Connection from alpha.example.com closed',
  'VM Started (Lifecycle Event)',
  'session opened for user alice',
  'Connection from beta.example.com closed',
  'VM Paused (Lifecycle Event)',
  'session opened for user bob',
  'session opened for user carol',
  'VM Started (Lifecycle Event)',
  'session opened for user dave',
  'com.apple.CacheDelete.daily: scheduler told me to run this job in 12 seconds',
  'session opened for user eve',
  'com.apple.icloud.heartbeat: scheduler told me to run this job in 3 seconds',
  'session opened for user frank',
  'Connection from 10.0.0.7 closed',
];

describe('TemplateMiner', () => {
  it('merges lines that differ in values and turns the differing tokens into <*>', () => {
    const miner = new TemplateMiner();
    const first = miner.add('Connection from alpha.example.com closed');
    const second = miner.add('Connection from beta.example.com closed');
    expect(first).toMatchObject({
      isNew: true,
      changed: false,
      template: 'Connection from alpha.example.com closed',
    });
    expect(second).toEqual({
      templateId: first.templateId,
      template: 'Connection from <*> closed',
      isNew: false,
      changed: true,
      params: ['beta.example.com'],
      mergedIds: [],
    });
    expect(miner.add('Connection from gamma.example.com closed')).toMatchObject({ changed: false });
  });

  it('masks values before the search, so lines of different shapes meet in one template', () => {
    const miner = new TemplateMiner();
    const a = miner.add('proxy.example.com:5070 close, 1190 bytes (1.16 KB) sent, lifetime 00:02');
    const b = miner.add('get.sogou.com:80 close, 859 bytes sent, lifetime <1 sec');
    expect(b.templateId).toBe(a.templateId);
    expect(b.template).toBe('<*>:<*> close, <*> sent, lifetime <*>');
    expect(b.params).toEqual(['get.sogou.com:80', '859 bytes', '<1 sec']);
  });

  it('learns the same templates with { params: false }, leaving the values out', () => {
    const lines = ['proxy.example.com:5070 close, 1190 bytes (1.16 KB) sent, lifetime 00:02', 'get.sogou.com:80 close, 859 bytes sent, lifetime <1 sec'];
    const withParams = new TemplateMiner();
    const without = new TemplateMiner();
    for (const line of lines) {
      const a = withParams.add(line);
      const b = without.add(line, { params: false });
      expect(b).toEqual({ ...a, params: [] });
    }
    expect(without.toJSON()).toEqual(withParams.toJSON());
    expect(withParams.add(lines[1]).params).toEqual(['get.sogou.com:80', '859 bytes', '<1 sec']);
  });

  it('keeps lines apart that differ by a word, as long as few words were seen there', () => {
    const miner = new TemplateMiner();
    const started = miner.add('VM Started (Lifecycle Event)').templateId;
    const paused = miner.add('VM Paused (Lifecycle Event)').templateId;
    expect(paused).not.toBe(started);
    expect(miner.add('VM Started (Lifecycle Event)').templateId).toBe(started);
  });

  it('turns a word position into <*> once it shows wordCardinality words, merging into the oldest template', () => {
    const miner = new TemplateMiner({ wordCardinality: 5 });
    const ids = ['alice', 'bob', 'carol', 'dave'].map(
      (u) => miner.add(`session opened for user ${u}`).templateId,
    );
    expect(new Set(ids).size).toBe(4);
    const fifth = miner.add('session opened for user eve');
    expect(fifth).toMatchObject({
      templateId: ids[0],
      template: 'session opened for user <*>',
      changed: true,
    });
    expect(fifth.mergedIds).toEqual(ids.slice(1));
    expect(ids.map((id) => miner.resolveId(id))).toEqual([ids[0], ids[0], ids[0], ids[0]]);
    expect(miner.templates()).toEqual([
      {
        id: ids[0],
        template: 'session opened for user <*>',
        count: 5,
        tokens: ['session', 'opened', 'for', 'user', '<*>'],
        mergedIds: ids.slice(1),
      },
    ]);
    expect(miner.add('session opened for user frank')).toMatchObject({ templateId: ids[0], changed: false });
  });

  it('never merges on a differing first word: that is the event itself', () => {
    const miner = new TemplateMiner({ wordCardinality: 3 });
    for (const w of ['boot', 'wait', 'halt', 'reboot']) miner.add(`${w} (command 12)`);
    expect(miner.templates().map((t) => t.template)).toEqual([
      'boot (command <*>)',
      'wait (command <*>)',
      'halt (command <*>)',
      'reboot (command <*>)',
    ]);
  });

  it("writes templates in Loghub-2.0's conventions: units stay words, times split, paths and user strings are values", () => {
    const miner = new TemplateMiner();
    miner.add('Took 2.5 seconds to build instance at 04:30:30.123');
    expect(miner.add('Took 12.75 seconds to build instance at 23:01:59.001').template).toBe('Took <*> seconds to build instance at <*>:<*>:<*>');
    expect(miner.add('Resolved node-17 to /default-rack').template).toBe('Resolved <*> to <*>');
    expect(miner.add('Received block blk_-160 of size 67108864 from /10.250.10.6').template).toBe('Received block <*> of size <*> from <*>');
    expect(miner.add('session closed for user root').template).toBe('session closed for user <*>');
    // `1.16 KB` is still one value to compare: lines with and without it are one template
    const a = miner.add('cache holds 3 bytes (1.16 KB) now');
    expect(miner.add('cache holds 9 bytes now').templateId).toBe(a.templateId);
  });

  it('keeps the shape of values that differ only in their parts: `github.com:443` and `proxy.a.b:5070` are `<*>:<*>`', () => {
    const miner = new TemplateMiner();
    miner.add('proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS');
    const r = miner.add('github.com:443 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS');
    expect(r.template).toBe('<*>:<*> open through proxy <*>:<*> HTTPS');
    // different shapes still become one value, keeping only the punctuation both wrap it in
    miner.add('user alice@example logged in from [10.0.0.1]');
    expect(miner.add('user bob logged in from [10.0.0.2:22]').template).toBe('user <*> logged in from [<*>]');
  });

  it('shows values with the punctuation glued to them and varying identifiers as one value', () => {
    const miner = new TemplateMiner();
    miner.add('Finished task 1.0 in stage 2.0 (TID 12). 2000 bytes result sent to driver');
    const r = miner.add('Finished task 3.0 in stage 2.0 (TID 15). 1890 bytes result sent to driver');
    expect(r.template).toBe('Finished task <*> in stage <*> (TID <*>). <*> bytes result sent to driver');
    expect(miner.add('Found block rdd_42_7 locally').template).toBe('Found block <*> locally');
    expect(miner.add('connected to 10.1.2.3:8080 and proxy.example.co.uk:3128').template).toBe('connected to <*>:<*> and <*>:<*>');
    // different words at one position keep the brackets both wrap them in
    const m2 = new TemplateMiner({ wordCardinality: 2 });
    m2.add('no answer from any [Thunderbird_A8] datasource');
    expect(m2.add('no answer from any [Thunderbird_B] datasource').template).toBe('no answer from any [<*>] datasource');
    expect(m2.add('setLightsOn(true)').templateId).toBe(m2.add('setLightsOn(false)').templateId);
  });

  it('finds the template when a leading token varies without being a masked value', () => {
    const miner = new TemplateMiner();
    const a = miner.add('com.apple.CacheDelete.daily: scheduler told me to run this job in 12 seconds');
    const b = miner.add('com.apple.icloud.heartbeat: scheduler told me to run this job in 3 seconds');
    expect(b).toMatchObject({
      templateId: a.templateId,
      template: '<*>: scheduler told me to run this job in <*> seconds',
    });
  });

  it('does not let a template of values only swallow other lines of its length', () => {
    const miner = new TemplateMiner();
    const value = miner.add('2017-12-23 22:15:29').templateId;
    expect(miner.add('running').templateId).not.toBe(value);
    expect(miner.add('10.0.0.1:80').templateId).toBe(value);
  });

  it('keeps a template id when the template changes', () => {
    const miner = new TemplateMiner();
    const { templateId } = miner.add('Connection from alpha.example.com closed');
    miner.add('Connection from beta.example.com closed');
    expect(miner.templates()).toEqual([
      expect.objectContaining({ id: templateId, template: 'Connection from <*> closed', count: 2 }),
    ]);
  });

  it('gives the same ids to the same lines in another miner (hash of the first version)', () => {
    const a = new TemplateMiner();
    const b = new TemplateMiner();
    const idsA = STREAM.map((l) => a.add(l).templateId);
    const idsB = STREAM.map((l) => b.add(l).templateId);
    expect(idsB).toEqual(idsA);
    expect(idsA.every((id) => /^[0-9a-f]{12}(-\d+)?$/.test(id))).toBe(true);
  });

  it('continues after toJSON/fromJSON exactly as without the break, ids included', () => {
    const straight = new TemplateMiner();
    const expected = STREAM.map((l) => straight.add(l));
    for (let cut = 0; cut <= STREAM.length; cut++) {
      let miner = new TemplateMiner();
      const got = STREAM.map((l, i) => {
        if (i === cut) miner = roundTrip(miner);
        return miner.add(l);
      });
      expect(got).toEqual(expected);
      expect(miner.templates()).toEqual(straight.templates());
    }
  });

  it('resolves merged-away ids after a restore', () => {
    const miner = new TemplateMiner();
    const results = STREAM.map((l) => miner.add(l));
    const merged = results.flatMap((r) => r.mergedIds);
    expect(merged.length).toBeGreaterThan(0);
    const restored = roundTrip(miner);
    expect(merged.map((id) => restored.resolveId(id))).toEqual(merged.map((id) => miner.resolveId(id)));
    expect(restored.toJSON()).toEqual(miner.toJSON());
  });

  it('match finds the template add would use and learns nothing', () => {
    const miner = new TemplateMiner();
    STREAM.forEach((l) => miner.add(l));
    const before = miner.toJSON();
    const known = miner.add('Connection from delta.example.com closed');
    const afterAdd = miner.toJSON();

    expect(miner.match('Connection from epsilon.example.com closed')).toEqual({
      templateId: known.templateId,
      template: 'Connection from <*> closed',
      isNew: false,
      changed: false,
      params: ['epsilon.example.com'],
      mergedIds: [],
    });
    expect(miner.match('VM Stopped (Lifecycle Event)')).toBeNull();
    expect(miner.match('Something never seen before')).toBeNull();
    expect(miner.toJSON()).toEqual(afterAdd);
    expect(before).not.toEqual(afterAdd); // the add above did count
  });

  it('match reports the template without widening it for a line that only resembles it', () => {
    const miner = new TemplateMiner();
    const { templateId } = miner.add('Failed password for root from 10.0.0.1 via gw.example.net');
    const m = miner.match('Failed password for root from 10.0.0.2 via gw.example.org');
    expect(m).toMatchObject({
      templateId,
      template: 'Failed password for <*> from <*> via gw.example.net',
      params: [],
    });
    expect(miner.templates()[0].template).toBe('Failed password for <*> from <*> via gw.example.net');
  });

  it('refuses impossible options and unknown state versions', () => {
    expect(() => new TemplateMiner({ depth: 2 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ similarityThreshold: 1.5 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ wordCardinality: 1 })).toThrow(RangeError);
    const state = { ...new TemplateMiner().toJSON(), version: 2 } as unknown as TemplateMinerState;
    expect(() => TemplateMiner.fromJSON(state)).toThrow(/version/);
  });
});

describe('TemplateMiner bounds', () => {
  /** a word made of letters only (digits would be masked): 0 → a, 27 → bb */
  const word = (n: number): string => {
    let w = '';
    for (let v = n + 1; v > 0; v = Math.floor((v - 1) / 26)) w = String.fromCharCode(97 + ((v - 1) % 26)) + w;
    return w;
  };
  const shape = (i: number) => `${word(i)}x ${word(i + 7)}y ${word(i + 13)}z ${word(i + 19)}w`;

  it('keeps at most maxClusters templates over 20,000 distinct shapes, dropping the least recently matched', () => {
    const miner = new TemplateMiner({ maxClusters: 200 });
    const hot = miner.add('Connection established to server');
    for (let i = 0; i < 20_000; i++) {
      miner.add(shape(i));
      if (i % 100 === 0) miner.add('Connection established to server');
    }
    const size = miner.stateSize();
    expect(size.templates).toBe(200);
    expect(size.evictions).toBeGreaterThan(19_000);
    expect(size.aliases).toBeLessThanOrEqual(200);
    expect(miner.templates().length).toBe(200);
    // a template in use survives the churn, with its id
    expect(miner.match('Connection established to server')?.templateId).toBe(hot.templateId);
    // and the state still saves and loads
    expect(TemplateMiner.fromJSON(miner.toJSON(), { maxClusters: 200 }).stateSize().templates).toBe(200);
  });
});

