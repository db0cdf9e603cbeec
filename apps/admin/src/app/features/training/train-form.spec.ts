import {
  EMPTY_TRAIN_FORM,
  type TrainFormValue,
  checkTrainForm,
  knownSources,
  modelHint,
  sourcesHint,
  sourcesOf,
  withSource,
} from './train-form';

const form = (change: Partial<TrainFormValue>): TrainFormValue => ({ ...EMPTY_TRAIN_FORM, ...change });
const file = (text: string, name = 'app.log') => new File([text], name, { type: 'text/plain' });

describe('train form', () => {
  it('builds a stream request with only the fields filled in', () => {
    const c = checkTrainForm(
      form({ model: 'myapp-anomaly', picked: ['myapp'], typed: 'billing-api, myapp' }),
    );
    expect(c).toEqual({
      ok: true,
      model: 'myapp-anomaly',
      request: { sources: ['myapp', 'billing-api'] },
      file: null,
    });
  });

  it('sends the range as ISO times, the window in milliseconds, and bind only together with deploy', () => {
    const c = checkTrainForm(
      form({
        model: 'm',
        typed: 'a',
        from: '2026-12-01T08:00',
        to: '2026-12-02T08:00',
        algorithm: 'pca',
        windowSeconds: '60',
        topK: '25',
        deploy: true,
        bind: true,
      }),
    );
    expect(c.ok && c.request).toEqual({
      sources: ['a'],
      from: new Date('2026-12-01T08:00').toISOString(),
      to: new Date('2026-12-02T08:00').toISOString(),
      algorithm: 'pca',
      windowMs: 60_000,
      topK: 25,
      deploy: true,
      bind: true,
    });
    const noDeploy = checkTrainForm(form({ model: 'm', typed: 'a', bind: true }));
    expect(noDeploy.ok && noDeploy.request).toEqual({ sources: ['a'] });
  });

  it('takes the file instead of the range when training on a log file', () => {
    const f = file('2026-12-01T00:00:00Z hello\n');
    const c = checkTrainForm(
      form({ model: 'm', typed: 'a', input: 'file', file: f, from: '2026-12-01T08:00' }),
    );
    expect(c).toEqual({ ok: true, model: 'm', request: { sources: ['a'] }, file: f });
  });

  it('says what is wrong, field by field, the way the gateway would refuse it', () => {
    const c = checkTrainForm(
      form({
        model: 'My Model',
        typed: 'ok, not a source!',
        from: '2026-12-02T08:00',
        to: '2026-12-01T08:00',
        windowSeconds: '0.5',
        topK: '5000',
      }),
    );
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.errors.model).toMatch(/Lower-case/);
    expect(c.errors.sources).toBe('Not a source name: source! (1-64 letters, digits, "_" or "-").');
    expect(c.errors.range).toBe('The end must be after the start.');
    expect(c.errors.window).toMatch(/seconds/);
    expect(c.errors.topK).toMatch(/1 to 1000/);

    const empty = checkTrainForm(form({ input: 'file' }));
    expect(empty.ok === false && empty.errors).toEqual({
      model: 'Name the model to train (a new name creates it).',
      sources: 'Pick or type at least one source.',
      file: 'Choose or drop a log file to learn from.',
    });
    const emptyFile = checkTrainForm(
      form({ model: 'm', typed: 'a', input: 'file', file: file('', 'e.log') }),
    );
    expect(emptyFile.ok === false && emptyFile.errors.file).toBe('e.log is empty.');
  });

  it('splits typed sources on commas and spaces, keeping each once', () => {
    expect(sourcesOf({ picked: ['a'], typed: ' b,c  a,, d ' })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('knows the bound sources and those with stored windows, sorted, each once', () => {
    expect(
      knownSources(
        [{ source: 'web' }, { source: 'api' }],
        [{ source: 'api' }, { source: 'site-1' }, { source: '' }],
      ),
    ).toEqual(['api', 'site-1', 'web']);
  });
});

describe('train form hints', () => {
  it('says whether the name adds a version or creates the model', () => {
    expect(modelHint('', ['iris'])).toContain('a new name creates the model');
    expect(modelHint('iris', ['iris'])).toBe('A new version of iris.');
    expect(modelHint('new', ['iris'])).toBe('Creates the model new.');
  });

  it('names the sources training takes, else how to name them for the stream or a file', () => {
    expect(sourcesHint(form({ picked: ['a'], typed: 'b' }))).toBe('Training on a, b.');
    expect(sourcesHint(form({}))).toContain('Comma-separated');
    expect(sourcesHint(form({ input: 'file' }))).toContain('the one to bind the model to');
  });

  it('ticks a source once, last, and unticks it', () => {
    expect(withSource(['a', 'b'], 'a', true)).toEqual(['b', 'a']);
    expect(withSource(['a', 'b'], 'c', true)).toEqual(['a', 'b', 'c']);
    expect(withSource(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});
