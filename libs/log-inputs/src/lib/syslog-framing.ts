/** One syslog message cut from a TCP stream (RFC 6587). */
export interface SyslogFrame {
  bytes: Buffer;
  /** the frame was longer than the cap: `bytes` holds its first maxFrameBytes */
  oversize: boolean;
  /** the frame's full length in bytes */
  originalBytes: number;
}

/** A declared octet count above this is not a syslog frame but a broken or hostile sender: the connection is closed. */
const MAX_DECLARED_OCTETS = 64 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;

/**
 * Splits a TCP byte stream into syslog frames, per frame either octet-counting (`<len> <msg>`, RFC 6587 3.4.1) or
 * LF-terminated (3.4.2), as rsyslog decides: a frame starting with a digit 1–9 followed by digits and a space is
 * octet-counted. Memory stays bounded: a frame keeps at most maxFrameBytes, the rest is skipped and the frame flagged.
 */
export class SyslogFramer {
  private state: 'start' | 'lf' | 'octets' = 'start';
  private carry: Buffer | null = null;
  private parts: Buffer[] = [];
  private kept = 0;
  private total = 0;
  private remaining = 0;
  /** set when the stream cannot be syslog (the caller closes the connection); later chunks are ignored */
  error: string | null = null;

  constructor(private readonly maxFrameBytes: number) {}

  /** Frames completed by this chunk (those before a framing error included; then `error` is set). */
  push(chunk: Buffer): SyslogFrame[] {
    const frames: SyslogFrame[] = [];
    if (this.error) return frames;
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    const len = data.length;
    let i = 0;
    while (i < len) {
      if (this.state === 'start') {
        while (i < len && (data[i] === LF || data[i] === CR || data[i] === 0)) i++;
        if (i >= len) break;
        if (data[i] >= 0x31 && data[i] <= 0x39) {
          let j = i + 1;
          while (j < len && j - i < 10 && data[j] >= 0x30 && data[j] <= 0x39) j++;
          if (j === len && j - i < 10) {
            // the count may continue in the next chunk
            this.carry = Buffer.from(data.subarray(i));
            break;
          }
          if (data[j] === SP) {
            const declared = Number(data.toString('latin1', i, j));
            if (declared > MAX_DECLARED_OCTETS) {
              this.error = `octet count ${declared} exceeds ${MAX_DECLARED_OCTETS}`;
              return frames;
            }
            this.state = 'octets';
            this.remaining = declared;
            i = j + 1;
            continue;
          }
        }
        this.state = 'lf';
      }
      if (this.state === 'lf') {
        const nl = data.indexOf(LF, i);
        const end = nl < 0 ? len : nl;
        this.keep(data, i, end);
        i = end;
        if (nl < 0) break;
        i = nl + 1;
        frames.push(this.emit(true));
      } else {
        const take = Math.min(this.remaining, len - i);
        this.keep(data, i, i + take);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) frames.push(this.emit(false));
      }
    }
    return frames;
  }

  /** The last frame when the peer closed without a final LF; octet-counted frames cut short are reported. */
  end(): { frames: SyslogFrame[]; incomplete: boolean } {
    if (this.state === 'lf' && this.total > 0) return { frames: [this.emit(true)], incomplete: false };
    const incomplete = this.state === 'octets' || this.carry !== null;
    this.reset();
    return { frames: [], incomplete };
  }

  /** bytes buffered for the current frame (bounded by maxFrameBytes) */
  get buffered(): number {
    return this.kept + (this.carry?.length ?? 0);
  }

  private keep(data: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    this.total += n;
    const room = this.maxFrameBytes - this.kept;
    if (room <= 0) return;
    const slice = data.subarray(from, from + Math.min(n, room));
    // copy: the socket may reuse its chunk buffers
    this.parts.push(Buffer.from(slice));
    this.kept += slice.length;
  }

  private emit(stripCr: boolean): SyslogFrame {
    let bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.kept);
    const oversize = this.total > this.kept;
    if (stripCr && !oversize && bytes.length && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    const frame = { bytes, oversize, originalBytes: this.total };
    this.reset();
    return frame;
  }

  private reset(): void {
    this.state = 'start';
    this.carry = null;
    this.parts = [];
    this.kept = 0;
    this.total = 0;
    this.remaining = 0;
  }
}
