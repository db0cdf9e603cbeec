import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const COLORS = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94];
let nextColor = 0;

export const NAME_WIDTH = 'inference-worker-9'.length;

/** `name |` in the service's own colour, the way every line of `npm start` begins. */
export function linePrefix(name: string, width = NAME_WIDTH): string {
  const color = COLORS[nextColor++ % COLORS.length];
  const label = name.padEnd(width);
  return process.stdout.isTTY ? `\x1b[${color}m${label}\x1b[0m |` : `${label} |`;
}

/** A logger that writes lines under a service-style prefix (for the launcher itself, nats-server…). */
export function prefixedLog(name: string): (line: string) => void {
  const prefix = linePrefix(name);
  return (line) => process.stdout.write(`${prefix} ${line}\n`);
}

/** A child process whose output lines are prefixed with its name, as `npm start` shows them. */
export class ServiceProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private readonly prefix: string;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    options: Omit<SpawnOptions, 'stdio'> & { ipc?: boolean; onLine?: (line: string) => void },
  ) {
    this.prefix = linePrefix(name);
    this.child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? ['ipc' as const] : [])] });
    const forward = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
      let buf = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buf += chunk;
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) {
          out.write(`${this.prefix} ${line}\n`);
          options.onLine?.(line);
        }
      });
    };
    forward(this.child.stdout, process.stdout);
    forward(this.child.stderr, process.stderr);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 8000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
