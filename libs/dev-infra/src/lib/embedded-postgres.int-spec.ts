import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { spawn } from 'node:child_process';
import { EMBEDDED_SHARED_BUFFERS, embeddedPostgresInitialized } from './embedded-postgres';

// The integration setup serves the embedded Postgres (PGlite over the wire protocol) unless DATABASE_URL is given.
const url = process.env['DATABASE_URL'] ?? '';

describe('embedded Postgres over the wire protocol', () => {
  const clients: Client[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 6; i++) {
      const c = new Client({ connectionString: url });
      await c.connect();
      clients.push(c);
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
  });

  it('keeps each connection’s protocol messages together when large binds arrive in several reads', async () => {
    // an upload chunk (256 KiB) is a bind message longer than one TCP read: pglite-socket let another connection's
    // Parse run between this connection's Parse and Bind, and the Bind failed with 'bind message supplies
    // 4 parameters, but prepared statement "" requires 1' (a 500 on one multi-chunk upload in five)
    await clients[0].query('CREATE TABLE IF NOT EXISTS it_parts (u text, p text, i int, d bytea, PRIMARY KEY (u, p, i))');
    const chunk = Buffer.alloc(256 * 1024, 7);
    const failures: string[] = [];
    await Promise.all(
      clients.map(async (c, k) => {
        for (let i = 0; i < 25; i++) {
          try {
            const found = await c.query<{ v: string }>('SELECT $1::text AS v', [`upload-${k}`]);
            expect(found.rows[0].v).toBe(`upload-${k}`);
            await c.query('INSERT INTO it_parts VALUES ($1, $2, $3, $4) ON CONFLICT (u, p, i) DO UPDATE SET d = EXCLUDED.d', [`upload-${k}`, 'model', i, chunk]);
          } catch (e) {
            failures.push((e as Error).message);
          }
        }
      }),
    );
    expect(failures).toEqual([]);
    const stored = await clients[0].query<{ n: string; bytes: string }>('SELECT count(*) AS n, sum(length(d)) AS bytes FROM it_parts');
    expect(Number(stored.rows[0].n)).toBe(clients.length * 25);
    expect(Number(stored.rows[0].bytes)).toBe(clients.length * 25 * chunk.byteLength);
  });

  it('runs a bind that arrives in two reads against its own Parse, even when another connection queries between the reads', async () => {
    // deterministic form of the race above: Parse + the first half of Bind, another connection's whole query, then
    // the rest of Bind + Execute + Sync
    const wire = await RawConnection.open(url);
    try {
      const parse = message('P', cstr(''), cstr('SELECT ($1::int + $2::int + $3::int + $4::int) AS v'), int16(0));
      const bind = message('B', cstr(''), cstr(''), int16(0), int16(4), ...['1', '2', '3', '4'].flatMap((v) => [int32(v.length), Buffer.from(v)]), int16(0));
      const tail = Buffer.concat([message('E', cstr(''), int32(0)), message('S')]);
      wire.write(Buffer.concat([parse, bind.subarray(0, 9)]));
      const other = await clients[1].query<{ v: string }>('SELECT $1::text AS v', ['between']);
      expect(other.rows[0].v).toBe('between');
      wire.write(Buffer.concat([bind.subarray(9), tail]));
      const reply = await wire.untilReady();
      expect(reply.errors).toEqual([]);
      expect(reply.rows).toEqual([['10']]);
    } finally {
      wire.close();
    }
  });

  it('runs one connection’s transaction without another connection’s statements inside it', async () => {
    const [a, b] = clients;
    await a.query('CREATE TABLE IF NOT EXISTS it_tx_probe (id int)');
    await a.query('TRUNCATE it_tx_probe');
    await a.query('BEGIN');
    await a.query('INSERT INTO it_tx_probe VALUES ($1)', [1]);
    // b's insert waits for a's transaction to end instead of landing inside it (and being rolled back with it)
    const other = b.query('INSERT INTO it_tx_probe VALUES ($1)', [2]);
    await a.query('ROLLBACK');
    await other;
    const rows = await a.query<{ id: number }>('SELECT id FROM it_tx_probe ORDER BY id');
    expect(rows.rows.map((r) => r.id)).toEqual([2]);
  });
});

function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
}
const cstr = (s: string) => Buffer.from(`${s}\0`);
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** A bare wire-protocol connection: lets the test cut a message where a TCP read would. */
class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.waiter?.();
    });
  }

  static async open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const c = new RawConnection(socket);
    const params = Buffer.concat([cstr('user'), cstr('postgres'), cstr('database'), cstr('postgres'), cstr('')]);
    socket.write(Buffer.concat([int32(params.length + 8), int32(196608), params]));
    const hello = await c.untilReady();
    if (hello.errors.length) throw new Error(hello.errors.join('; '));
    return c;
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  close(): void {
    this.socket.destroy();
  }

  /** Reads messages up to ReadyForQuery: error texts and data rows (as text). */
  async untilReady(): Promise<{ errors: string[]; rows: string[][] }> {
    const out = { errors: [] as string[], rows: [] as string[][] };
    for (;;) {
      while (this.buffer.length >= 5 && this.buffer.length >= 1 + this.buffer.readInt32BE(1)) {
        const type = String.fromCharCode(this.buffer[0]);
        const len = this.buffer.readInt32BE(1);
        const body = this.buffer.subarray(5, len + 1);
        this.buffer = this.buffer.subarray(len + 1);
        if (type === 'E') out.errors.push(body.toString('utf8').split('\0').filter((f) => f.startsWith('M')).map((f) => f.slice(1)).join(' '));
        if (type === 'D') {
          const row: string[] = [];
          let at = 2;
          for (let i = 0; i < body.readInt16BE(0); i++) {
            const n = body.readInt32BE(at);
            row.push(body.subarray(at + 4, at + 4 + n).toString('utf8'));
            at += 4 + n;
          }
          out.rows.push(row);
        }
        if (type === 'Z') return out;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }
}

/** tools/stack/embedded-postgres.ts, as `npm start` runs it (PGlite cannot load inside a jest worker's VM). */
function servePgdata(dataDir: string): Promise<{ url: string; output: () => string; stop: () => Promise<number | null> }> {
  const root = path.resolve(__dirname, '../../../..');
  const child = spawn(process.execPath, [path.join(root, 'tools/ts-run.mjs'), path.join(root, 'tools/stack/embedded-postgres.ts'), '--data', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      const ready = /READY (\S+)/.exec(out);
      if (ready) resolve({ url: ready[1], output: () => out, stop: () => (child.kill('SIGTERM'), exited) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`embedded postgres exited (${code}) before READY:\n${out}`)));
  });
}

describe('npm start\'s embedded Postgres process', () => {
  it('initialises an empty data folder in a process of its own, serves it with the registry-sized buffer cache and keeps what was written', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'loglens-pgdata-')), 'pgdata');
    try {
      expect(embeddedPostgresInitialized(dataDir)).toBe(false);
      for (let round = 0; round < 2; round++) {
        const pg = await servePgdata(dataDir);
        expect(embeddedPostgresInitialized(dataDir)).toBe(true);
        // the first start says it initialises; a restart opens the folder as it is
        expect(pg.output().includes('initialising a new database')).toBe(round === 0);
        const c = new Client({ connectionString: pg.url });
        await c.connect();
        try {
          expect((await c.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows[0].shared_buffers).toBe(EMBEDDED_SHARED_BUFFERS);
          if (round === 0) await c.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('across restarts')");
          else expect((await c.query<{ v: string }>('SELECT v FROM kept')).rows).toEqual([{ v: 'across restarts' }]);
        } finally {
          await c.end();
        }
        expect(await pg.stop()).toBe(0);
      }
    } finally {
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  }, 240_000);
});
