import { LogLensError } from '@loglens/contracts';
import { jobEventName } from '../events/events.service';
import { recordsOfFile, trainParamsOf } from './train-input';

function errorOf(fn: () => unknown): LogLensError {
  try {
    fn();
  } catch (e) {
    return e as LogLensError;
  }
  throw new Error('did not throw');
}

describe('train request parsing', () => {
  it('takes a JSON body as it is', () => {
    expect(trainParamsOf({ sources: ['myapp'], algorithm: 'pca', windowMs: 60000, deploy: true, bind: true }, false)).toMatchObject({
      sources: ['myapp'],
      algorithm: 'pca',
      windowMs: 60000,
      deploy: true,
      bind: true,
    });
  });

  it('reads multipart fields as text: comma-separated sources, numbers and booleans', () => {
    expect(trainParamsOf({ sources: 'a, b', topK: '20', deploy: 'true', bind: 'false', from: '' }, true)).toEqual({ sources: ['a', 'b'], topK: 20, deploy: true, bind: false });
  });

  it('answers a bad body with a 400 that names the field', () => {
    const e = errorOf(() => trainParamsOf({ sources: ['ok'], algorithm: 'gbdt' }, false));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/algorithm/);
    expect(errorOf(() => trainParamsOf({ sources: [] }, false)).message).toMatch(/sources/);
    expect(errorOf(() => trainParamsOf({ sources: ['a b'] }, false)).message).toMatch(/sources/);
    expect(errorOf(() => trainParamsOf({ sources: ['a'], windowMs: 'soon' }, true)).message).toMatch(/windowMs/);
    expect(errorOf(() => trainParamsOf({ sources: ['a'], from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }, false)).message).toMatch(/to must be after from/);
    expect(errorOf(() => trainParamsOf({ sources: ['a'], epochs: 3 }, false)).message).toMatch(/epochs/);
  });

  it('reads an uploaded file as NDJSON objects or raw lines, skipping blank ones', () => {
    const file = Buffer.from('{"message":"a","timestamp":"2026-12-01T00:00:00Z"}\r\nplain line\n\n{"not":"a record"}\n');
    expect(recordsOfFile(file)).toEqual([{ message: 'a', timestamp: '2026-12-01T00:00:00Z' }, 'plain line', '{"not":"a record"}']);
  });

  it('names job events for SSE as jobs.<state>', () => {
    expect(jobEventName('jobs.events.succeeded.v1')).toBe('jobs.succeeded');
    expect(jobEventName('jobs.events.progress.v1')).toBe('jobs.progress');
    expect(jobEventName('registry.events.source-bound.v1')).toBeNull();
  });
});
