import { PACK_MIN_CHARS, packJson, unpackJson } from './payloads';

describe('packJson / unpackJson', () => {
  it('gives back the JSON text byte for byte, much smaller than it was', async () => {
    const json = JSON.stringify(Array.from({ length: 5000 }, (_, i) => `081109 2035${i % 60} 143 INFO dfs.DataNode$PacketResponder: PacketResponder ${i % 3} for block blk_${i * 7919} terminating – ünïcode`));
    expect(json.length).toBeGreaterThan(PACK_MIN_CHARS);
    const packed = await packJson(json);
    expect(packed.length).toBeLessThan(json.length / 5);
    expect((await unpackJson(packed)).toString('utf8')).toBe(json);
  });

  it('refuses what is not a packed body, and one that unpacks to more than the cap', async () => {
    await expect(unpackJson('not brotli at all')).rejects.toThrow(/does not unpack/);
    await expect(unpackJson(await packJson('x'.repeat(10_000)), 1000)).rejects.toThrow(/does not unpack/);
  });
});
