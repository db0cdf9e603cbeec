import { SyslogFramer } from './syslog-framing';

const text = (frames: { bytes: Buffer }[]) => frames.map((f) => f.bytes.toString());

describe('SyslogFramer', () => {
  it('cuts LF-framed and octet-counted messages, mixed on one connection, whatever the chunk boundaries', () => {
    const counted = (m: string) => `${Buffer.byteLength(m)} ${m}`;
    const stream = Buffer.from(`<13>Dec  4 10:00:00 h a: one\r\n${counted('<13>1 - h a - - - x')}\n<13>three\n${counted('<13>1 - h a - - - line\nfeed')}`);
    const expected = ['<13>Dec  4 10:00:00 h a: one', '<13>1 - h a - - - x', '<13>three', '<13>1 - h a - - - line\nfeed'];
    for (let size = 1; size <= stream.length; size++) {
      const framer = new SyslogFramer(1024);
      const frames = [];
      for (let i = 0; i < stream.length; i += size) frames.push(...framer.push(stream.subarray(i, i + size)));
      expect(text(frames)).toEqual(expected);
      expect(framer.end()).toEqual({ frames: [], incomplete: false });
    }
  });

  it('keeps the first maxFrameBytes of an oversize frame, flags it with its real length and reads on', () => {
    const framer = new SyslogFramer(16);
    const big = 'x'.repeat(1024 * 1024);
    const frames = [...framer.push(Buffer.from(`${big}\nnext\n`)), ...framer.push(Buffer.from(`40 ${'y'.repeat(40)}3 abc`))];
    expect(frames.map((f) => [f.bytes.length, f.oversize, f.originalBytes])).toEqual([
      [16, true, big.length],
      [4, false, 4],
      [16, true, 40],
      [3, false, 3],
    ]);
    expect(framer.buffered).toBe(0);
  });

  it('returns a last line without LF at the end, and reports an octet-counted frame cut short', () => {
    const a = new SyslogFramer(100);
    expect(a.push(Buffer.from('tail'))).toEqual([]);
    expect(text(a.end().frames)).toEqual(['tail']);
    const b = new SyslogFramer(100);
    b.push(Buffer.from('20 short'));
    expect(b.end().incomplete).toBe(true);
  });

  it('refuses an absurd octet count instead of swallowing the connection, keeping the frames before it', () => {
    const framer = new SyslogFramer(100);
    expect(text(framer.push(Buffer.from('<13>ok\n999999999 <13>x')))).toEqual(['<13>ok']);
    expect(framer.error).toBe('octet count 999999999 exceeds 67108864');
    expect(framer.push(Buffer.from('<13>more\n'))).toEqual([]);
  });
});
