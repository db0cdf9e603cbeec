import { gunzipSync } from 'node:zlib';
import { PACK_MIN_CHARS, packJson, unpackJson } from './payloads';

describe('packJson / unpackJson', () => {
  const json = JSON.stringify(Array.from({ length: 5000 }, (_, i) => `081109 2035${i % 60} 143 INFO dfs.DataNode$PacketResponder: PacketResponder ${i % 3} for block blk_${i * 7919} terminating – ünïcode`));

  it('gives back the JSON text byte for byte, much smaller than it was', async () => {
    expect(json.length).toBeGreaterThan(PACK_MIN_CHARS);
    const packed = await packJson(json);
    expect(packed.length).toBeLessThan(json.length / 5);
    expect((await unpackJson(packed)).toString('utf8')).toBe(json);
  });

  it('packs as gzip on request: a standard gzip member (what an HTTP client reads as Content-Encoding: gzip)', async () => {
    const packed = await packJson(json, 'gzip');
    expect(packed.length).toBeLessThan(json.length / 3);
    const bytes = Buffer.from(packed, 'base64');
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(bytes).toString('utf8')).toBe(json);
    expect((await unpackJson(packed, undefined, 'gzip')).toString('utf8')).toBe(json);
    // read as the other encoding, it is refused, not misread
    await expect(unpackJson(packed)).rejects.toThrow(/does not unpack/);
  });

  it('refuses what is not a packed body, and one that unpacks to more than the cap', async () => {
    await expect(unpackJson('not brotli at all')).rejects.toThrow(/does not unpack/);
    await expect(unpackJson(await packJson('x'.repeat(10_000)), 1000)).rejects.toThrow(/does not unpack/);
    await expect(unpackJson(await packJson('x'.repeat(10_000), 'gzip'), 1000, 'gzip')).rejects.toThrow(/does not unpack/);
  });

  it('packs texts started together, and a short text after a long one, each as itself (the reused buffer)', async () => {
    const other = JSON.stringify({ note: 'ça – ✓', lines: Array.from({ length: 200 }, (_, i) => `line ${i}`) });
    // the second starts while the first is being compressed: it may not write over the first's bytes
    const [a, b, c] = await Promise.all([packJson(json), packJson(other, 'gzip'), packJson(json.slice(0, 1000))]);
    expect((await unpackJson(a)).toString('utf8')).toBe(json);
    expect((await unpackJson(b, undefined, 'gzip')).toString('utf8')).toBe(other);
    expect((await unpackJson(c)).toString('utf8')).toBe(json.slice(0, 1000));
    // after a long text, a short one is its own bytes only, not the long one's tail
    expect((await unpackJson(await packJson('"short"'))).toString('utf8')).toBe('"short"');
  });
});
