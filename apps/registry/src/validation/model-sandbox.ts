import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ValidationCheckDto } from '@loglens/contracts';
import { prescanOnnx, type OnnxPrescanResult } from '@loglens/onnx-format';
import { MODEL_LIMITS, type ModelLimits } from './model-limits.env';
import type { SandboxMessage, SandboxRequest } from './sandbox-protocol';
import type { StaticFacts } from './static-checks';

export interface SandboxOutcome {
  checks: ValidationCheckDto[];
  /** absent when the file could not be read (refused by the limits, unreadable, or the child died first) */
  facts: StaticFacts | null;
}

/** Injection token of the sandbox child script's path. */
export const SANDBOX_CHILD_FILE = Symbol('SANDBOX_CHILD_FILE');

/** The bundled child beside the registry's main.js. */
export const defaultSandboxChildFile = (): string => path.join(__dirname, 'model-sandbox-child.js');

/** children at once: each may use MODEL_SANDBOX_MEMORY_MB, so uploads beyond this wait their turn */
const CONCURRENCY = 2;
/** how often the child's resident set is read */
const WATCH_MS = 20;

/**
 * Examines an uploaded model without trusting it: a wire-format pre-scan against the ONNX limits in this process
 * (no decoding), then decoding, the static checks and one test inference in a child process with a V8 heap cap,
 * a resident-set watchdog (onnxruntime allocates outside the V8 heap) and a wall-clock timeout. A child that is
 * killed, crashes or says nothing is a failed check with the reason — never a pass.
 */
@Injectable()
export class ModelSandbox {
  private readonly logger = new Logger(ModelSandbox.name);
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    @Inject(MODEL_LIMITS) private readonly limits: ModelLimits,
    /** the child script; the bundled one beside main.js unless a test gives another */
    @Inject(SANDBOX_CHILD_FILE) private readonly childFile: string,
  ) {}

  /** The pre-scan alone: cheap enough for any caller, allocates nothing per node. */
  prescan(bytes: Uint8Array): OnnxPrescanResult {
    return prescanOnnx(bytes, this.limits.onnx);
  }

  async examine(req: SandboxRequest): Promise<SandboxOutcome> {
    const scan = this.prescan(req.bytes);
    const scalerScan = req.scaler ? this.prescan(req.scaler) : null;
    if (!scan.ok && scan.limit === 'protobuf') {
      return { checks: [{ check: 'protobuf', outcome: 'fail', message: `The file is not a readable ONNX model (${scan.message}); a truncated or non-ONNX upload looks like this.` }], facts: null };
    }
    if (!scan.ok) return { checks: [{ check: 'limits', outcome: 'fail', message: `Refused before decoding: ${scan.message}.` }], facts: null };
    if (scalerScan && !scalerScan.ok) {
      return { checks: [{ check: 'limits', outcome: 'fail', message: `The scaler was refused before decoding: ${scalerScan.message}.` }], facts: null };
    }
    const s = scan.stats;
    const limits: ValidationCheckDto = {
      check: 'limits',
      outcome: 'pass',
      message: `${s.bytes.toLocaleString('en')} bytes, ${s.nodes.toLocaleString('en')} nodes, graph depth ${s.graphDepth}, ${s.initializerBytes.toLocaleString('en')} bytes of tensor data, largest tensor ${s.largestTensorElements.toLocaleString('en')} elements: within the limits.`,
    };
    await this.slot();
    try {
      const out = await this.runChild(req);
      return { checks: [limits, ...out.checks], facts: out.facts };
    } finally {
      this.release();
    }
  }

  private runChild(req: SandboxRequest): Promise<SandboxOutcome> {
    const { memoryMb, timeoutMs } = this.limits.sandbox;
    const died = (message: string): ValidationCheckDto => ({ check: 'sandbox', outcome: 'fail', message });
    if (!existsSync(this.childFile)) {
      return Promise.resolve({ checks: [died(`The sandbox script ${this.childFile} is missing (build the registry): the model cannot be examined and is refused.`)], facts: null });
    }
    return new Promise((resolve) => {
      let staticPart: Extract<SandboxMessage, { type: 'static' }> | null = null;
      let testCheck: ValidationCheckDto | null = null;
      let killedFor: 'memory' | 'timeout' | null = null;
      let peakKb = 0;
      let stderr = '';
      let child: ChildProcess;
      try {
        child = fork(this.childFile, [], {
          execArgv: [`--max-old-space-size=${memoryMb}`],
          serialization: 'advanced',
          // nothing of the registry's environment (database URL, NATS credentials) reaches code that reads untrusted input
          env: { PATH: process.env['PATH'] ?? '' },
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        });
      } catch (e) {
        resolve({ checks: [died(`The sandbox could not start (${(e as Error).message}): the model cannot be examined and is refused.`)], facts: null });
        return;
      }
      child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
      const kill = (why: 'memory' | 'timeout') => {
        if (killedFor || child.exitCode !== null) return;
        killedFor = why;
        child.kill('SIGKILL');
      };
      const watch = setInterval(() => {
        const kb = residentKb(child.pid);
        if (kb > peakKb) peakKb = kb;
        if (kb > memoryMb * 1024) kill('memory');
      }, WATCH_MS);
      const timer = setTimeout(() => kill('timeout'), timeoutMs);
      child.on('message', (m: SandboxMessage) => {
        if (m.type === 'static') staticPart = m;
        else testCheck = m.check;
      });
      child.on('error', (e) => this.logger.warn(`sandbox child: ${e.message}`));
      child.once('exit', (code, signal) => {
        clearInterval(watch);
        clearTimeout(timer);
        const heapOom = /heap limit|out of memory/i.test(stderr);
        const reason =
          killedFor === 'timeout'
            ? `The sandbox did not finish within ${timeoutMs / 1000} s (MODEL_SANDBOX_TIMEOUT_MS) and was stopped`
            : killedFor === 'memory' || heapOom
              ? `The sandbox went over its ${memoryMb} MiB memory limit (MODEL_SANDBOX_MEMORY_MB${peakKb ? `; ${Math.round(peakKb / 1024)} MiB resident when stopped` : ''}) and was stopped`
              : `The sandbox exited (${signal ? `signal ${signal}` : `code ${code}`})${stderr.trim() ? `: ${lastLine(stderr)}` : ''}`;
        const sp = staticPart as Extract<SandboxMessage, { type: 'static' }> | null;
        if (!sp) {
          resolve({ checks: [died(`${reason} while decoding the model: it is refused.`)], facts: null });
        } else if (testCheck) {
          resolve({ checks: [...sp.checks, testCheck], facts: sp.facts });
        } else if (sp.checks.some((c) => c.outcome === 'fail')) {
          resolve({ checks: sp.checks, facts: sp.facts });
        } else {
          resolve({ checks: [...sp.checks, died(`${reason} during the test inference: the version is not deployable.`)], facts: sp.facts });
        }
      });
      child.send(req, (e) => {
        if (e) this.logger.warn(`sandbox child did not take the model: ${e.message}`);
      });
    });
  }

  private slot(): Promise<void> {
    if (this.running < CONCURRENCY) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }
}

function residentKb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter((l) => l.trim());
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
