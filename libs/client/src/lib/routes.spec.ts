import { isIdempotent, queryString, routes, routeUrl } from './routes';
import { LogRecordsError, parseLogRecords } from './log-records';

describe('routes', () => {
  it('leaves empty query values out and encodes path segments', () => {
    expect(queryString({ a: 1, b: '', c: undefined, d: null, e: false, f: 'x y' })).toBe('?a=1&e=false&f=x+y');
    expect(queryString({})).toBe('');
    expect(routeUrl(routes.lifecycle.history({ model: 'iris', limit: 20 }))).toBe('/model-management/history?model=iris&limit=20');
    expect(routes.models.get('a b@2').path).toBe('/api/v1/models/a%20b%402');
  });

  it('drops a blank reason instead of sending it', () => {
    expect(routes.lifecycle.deploy('iris@2', { reason: '  ' }).body).toEqual({});
    expect(routes.lifecycle.deploy('iris@2', { reason: ' fix ', expectedCurrent: 'iris@1' }).body).toEqual({ reason: 'fix', expectedCurrent: 'iris@1' });
    expect(routes.lifecycle.rollback({ model: 'iris', reason: '' }).body).toEqual({ model: 'iris' });
    expect(routes.sources.bind('hdfs', 'm', ' ').body).toEqual({ model: 'm' });
    expect(routeUrl(routes.sources.unbind('hdfs.1', ' bye '))).toBe('/model-management/sources/hdfs.1?reason=bye');
    expect(routeUrl(routes.sources.unbind('hdfs'))).toBe('/model-management/sources/hdfs');
  });

  it('describes the routes the console needs: dead letters, readiness, keys, audit, drift windows and ranges', () => {
    expect(routes.analysis.deadLetters({ consumer: 'loglens-agent-base', before: 7 })).toMatchObject({ method: 'GET', path: '/model-management/dead-letters', query: { consumer: 'loglens-agent-base', before: 7 } });
    expect(routes.health.ready()).toEqual({ method: 'GET', path: '/health/ready' });
    expect(routes.auth.createKey('ci', 'operator')).toEqual({ method: 'POST', path: '/api/v1/auth/keys', body: { name: 'ci', role: 'operator' } });
    expect(routes.auth.revokeKey('k/1')).toEqual({ method: 'DELETE', path: '/api/v1/auth/keys/k%2F1' });
    expect(routeUrl(routes.auth.audit({ action: 'version.', cursor: '' }))).toBe('/model-management/audit?action=version.');
    expect(routeUrl(routes.monitoring.drift('iris@2', { window: '24h' }))).toBe('/model-management/iris%402/drift?window=24h');
    expect(routeUrl(routes.monitoring.drift('iris@2', { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }))).toBe(
      '/model-management/iris%402/drift?from=2026-01-01T00%3A00%3A00Z&to=2026-01-02T00%3A00%3A00Z',
    );
    expect(routeUrl(routes.experiments.list({ state: 'running' }))).toBe('/model-management/experiments?state=running');
    expect(routes.experiments.change('e1', 'promote', { reason: '', version: 'iris@3' }).body).toEqual({ version: 'iris@3' });
  });

  it('puts the route key of predict in its header, not the body', () => {
    const r = routes.models.predict({ model: 'iris', rows: [[1, 2]], routeKey: 'user-7' });
    expect(r.body).toEqual({ model: 'iris', rows: [[1, 2]] });
    expect(r.headers).toEqual({ 'x-loglens-route-key': 'user-7' });
    expect(routes.models.predict({ rows: [[1]] }).headers).toBeUndefined();
  });

  it('builds multipart parts for uploads and train-from-file, metadata text sent as is', () => {
    const model = new Uint8Array([1, 2]);
    expect(routes.lifecycle.upload('iris', { model, metadata: ' {"a":1} ', modelFilename: 'iris.onnx' }).form).toEqual([
      { name: 'model', filename: 'iris.onnx', data: model },
      { name: 'metadata', text: '{"a":1}' },
    ]);
    expect(routes.lifecycle.upload('iris', { model, metadata: { a: 1 }, scaler: model }).form?.map((p) => p.name)).toEqual(['model', 'scaler', 'metadata']);
    const r = routes.sources.trainFromFile('m', { data: model, filename: 'logs.ndjson' }, { sources: ['a', 'b'], topK: 5, deploy: false });
    expect(r.form).toEqual([
      { name: 'logs', data: model, filename: 'logs.ndjson' },
      { name: 'sources', text: 'a,b' },
      { name: 'topK', text: '5' },
      { name: 'deploy', text: 'false' },
    ]);
    expect(isIdempotent(r)).toBe(false);
    expect(isIdempotent(routes.lifecycle.setTags('iris@1', []))).toBe(true);
    expect(isIdempotent(routes.lifecycle.validate('iris@1'))).toBe(false);
  });
});

describe('parseLogRecords', () => {
  it('reads one record a line (JSON objects keep their fields) or a JSON array', () => {
    expect(parseLogRecords('a\n\n{"message":"b"}\r\n{not json\n')).toEqual(['a', { message: 'b' }, '{not json']);
    expect(parseLogRecords(' ["a", {"message":"b"}] ')).toEqual(['a', { message: 'b' }]);
  });

  it('refuses empty input and a broken array with a LogRecordsError', () => {
    expect(() => parseLogRecords('[1, 2')).toThrow(LogRecordsError);
    expect(() => parseLogRecords('[1, 2')).toThrow(/looks like a JSON array but does not parse/);
    expect(() => parseLogRecords('[]')).toThrow('the JSON array has no records');
    expect(() => parseLogRecords(' \n ')).toThrow('the input has no log lines');
  });
});
