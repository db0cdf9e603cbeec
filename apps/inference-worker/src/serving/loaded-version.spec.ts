import type { OnnxModelSession } from '@loglens/model-runtime';
import type { ServingVersionDto } from '@loglens/contracts';
import { LoadedVersion } from './loaded-version';

describe('LoadedVersion', () => {
  it('releases its session only after in-flight requests finish', async () => {
    const events: string[] = [];
    const session = { release: async () => void events.push('released') } as unknown as OnnxModelSession;
    const v = new LoadedVersion({ ref: 'm@1' } as ServingVersionDto, session);
    let finish!: () => void;
    const inFlight = v.use(() => new Promise<void>((r) => (finish = r)).then(() => void events.push('request done')));
    const retired = v.retire();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
    finish();
    await Promise.all([inFlight, retired]);
    expect(events).toEqual(['request done', 'released']);
  });
});
