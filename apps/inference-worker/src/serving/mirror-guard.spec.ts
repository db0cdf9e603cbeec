import { MirrorGuard } from './mirror-guard';

describe('MirrorGuard (the shadow pool stops mirroring when it falls behind)', () => {
  it('keeps mirroring while the lag stays under the limit', () => {
    const g = new MirrorGuard({ maxLagMs: 250, pauseMs: 10_000 });
    for (let t = 0; t < 10_000; t += 250) expect(g.observe(t % 2 ? 1 : 249, t)).toBeNull();
    expect(g.mirroring).toBe(true);
    expect(g.state).toMatchObject({ paused: false, pauses: 0, worstLagMs: 249 });
  });

  it('pauses above the limit, and resumes only after the pause and once the lag is under half the limit', () => {
    const g = new MirrorGuard({ maxLagMs: 250, pauseMs: 10_000 });
    expect(g.observe(400, 1_000)).toBe('pause');
    expect(g.mirroring).toBe(false);
    // still paused: the pause has not passed, however small the lag
    expect(g.observe(1, 5_000)).toBeNull();
    // the pause has passed but the backlog is still being read
    expect(g.observe(200, 11_000)).toBeNull();
    expect(g.mirroring).toBe(false);
    expect(g.observe(100, 11_250)).toBe('resume');
    expect(g.mirroring).toBe(true);
    expect(g.observe(900, 12_000)).toBe('pause');
    expect(g.state).toMatchObject({ paused: true, pauses: 2, lagMs: 900, worstLagMs: 900, maxLagMs: 250 });
  });
});
