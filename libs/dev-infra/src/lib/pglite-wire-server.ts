import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/**
 * Messages after which the client waits for answers, so the bytes so far run as one unit: Sync closes an
 * extended-protocol sequence (Parse/Bind/Describe/Execute), Query is a whole simple query, FunctionCall stands alone,
 * Flush asks for the output so far (the sequence goes on, so the connection keeps the backend until its Sync).
 */
const UNIT_END = new Set(['S', 'Q', 'H', 'F']);

/**
 * PGlite (one Postgres backend in WASM) served over the Postgres wire protocol to any number of connections.
 *
 * Why not `@electric-sql/pglite-socket`'s server (0.2.17): it queues single messages, not protocol units, and runs
 * each connection's `data` events concurrently. A bind message larger than one TCP read (a 256 KiB upload chunk)
 * arrives in several events; while the first one waited its turn, a second connection's Parse ran between this
 * connection's Parse and Bind and replaced the unnamed statement — `bind message supplies 4 parameters, but
 * prepared statement "" requires 1` (one multi-chunk upload in five answered 500).
 *
 * Here each connection reads its bytes in order, cuts them into units ending at Sync / Query, and runs a whole unit
 * while holding the backend. A connection that leaves a unit inside a transaction block keeps the backend until
 * the block ends (or the connection goes away, which rolls it back), so no other connection's statement ever lands
 * inside someone else's transaction — real Postgres would isolate them; one backend can only take turns.
 */
export class PGliteWireServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** the connection that holds the backend (inside a transaction block), or null */
  private holder: number | null = null;
  private readonly waiting: Array<{ conn: number; grant: () => void }> = [];
  private nextConn = 1;

  constructor(
    private readonly db: PGlite,
    private readonly maxConnections = 64,
  ) {}

  async listen(host: string, port: number): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.sockets.size >= this.maxConnections) {
      socket.end();
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const conn = this.nextConn++;
    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    let unit: Buffer[] = [];
    // one chain per connection: its bytes are handled strictly in arrival order, never two reads at once
    let chain: Promise<void> = Promise.resolve();
    const fail = (): void => {
      socket.destroy();
    };

    const onBytes = async (data: Buffer): Promise<void> => {
      buffer = buffer.length ? Buffer.concat([buffer, data]) : data;
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const len = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (len < 8 || buffer.length < len) return;
          const message = buffer.subarray(0, len);
          buffer = buffer.subarray(len);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) socket.write('N');
          else if (code === CANCEL_REQUEST) socket.end();
          else if (code === PROTOCOL_3) {
            started = true;
            await this.run(conn, [Buffer.from(message)], socket, true);
          } else {
            fail();
            return;
          }
          continue;
        }
        if (buffer.length < 5) return;
        const len = buffer.readInt32BE(1);
        if (len < 4) {
          fail();
          return;
        }
        if (buffer.length < len + 1) return;
        const type = String.fromCharCode(buffer[0]);
        const message = Buffer.from(buffer.subarray(0, len + 1));
        buffer = buffer.subarray(len + 1);
        if (type === 'X') {
          socket.end();
          return;
        }
        unit.push(message);
        if (UNIT_END.has(type)) {
          const whole = unit;
          unit = [];
          await this.run(conn, whole, socket, type !== 'H');
        }
      }
    };

    socket.on('data', (data: Buffer) => {
      chain = chain.then(() => onBytes(data)).catch(fail);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      chain = chain.then(() => this.dropConnection(conn)).catch(() => undefined);
    });
  }

  /**
   * Runs one unit with the backend to itself; keeps the backend after it while a transaction block stays open or
   * the unit ended with a Flush (`complete` false: the extended-protocol sequence is not over).
   */
  private async run(conn: number, messages: Buffer[], socket: Socket, complete: boolean): Promise<void> {
    await this.acquire(conn);
    try {
      await this.db.runExclusive(async () => {
        for (const m of messages) {
          await this.db.execProtocolRawStream(new Uint8Array(m.buffer, m.byteOffset, m.byteLength), {
            onRawData: (bytes) => {
              if (socket.writable) socket.write(Buffer.from(bytes));
            },
          });
        }
      });
    } finally {
      if (complete && !this.db.isInTransaction()) this.release(conn);
    }
  }

  private acquire(conn: number): Promise<void> {
    if (this.holder === conn) return Promise.resolve();
    // release hands the backend straight to the next waiter, so a free backend has nobody waiting
    if (this.holder === null) {
      this.holder = conn;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ conn, grant }));
  }

  private release(conn: number): void {
    if (this.holder !== conn) return;
    const next = this.waiting.shift();
    this.holder = next?.conn ?? null;
    next?.grant();
  }

  /** A connection that closed inside its transaction block must not leave the backend locked in it. */
  private async dropConnection(conn: number): Promise<void> {
    if (this.holder !== conn) return;
    try {
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    } finally {
      this.release(conn);
    }
  }
}
