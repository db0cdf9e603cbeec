import type { ModelVersionDto } from '@loglens/contracts';
import { windowMsOf } from './agent.service';

const version = (metadata: Record<string, unknown>) => ({ metadata }) as unknown as ModelVersionDto;

describe('windowMsOf', () => {
  it('reads the window length a per-source model was trained with', () => {
    expect(windowMsOf(version({ window: { kind: 'tumbling', sizeMs: 60_000, by: 'source' } }))).toBe(60_000);
    expect(windowMsOf(version({ windowMs: 30_000 }))).toBe(30_000);
    expect(windowMsOf(version({ window: 10_000 }))).toBe(10_000);
  });

  it('leaves the pipeline default when the model names none (session windows, no model)', () => {
    expect(windowMsOf(version({ window: { kind: 'session', key: 'hdfs-block-id' } }))).toBeUndefined();
    expect(windowMsOf(version({ window: { sizeMs: -5 } }))).toBeUndefined();
    expect(windowMsOf(null)).toBeUndefined();
  });
});
