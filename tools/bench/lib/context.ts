// What the inference benchmark's scenarios share: the connections, the echo process, the registry and the current
// worker with the two models deployed (set up once by tools/bench/inference.ts), and the shape of a scenario.
import type { ChildProcess } from 'node:child_process';
import type { NatsConnection } from 'nats';
import type { RpcClient } from '@loglens/nest-common';
import type { RunningService } from '@loglens/testing';
import type { Pids, Row } from './measure';

export interface BenchContext {
  log(message: string): void;
  natsUrl: string;
  /** the nats-server's pid: its CPU is only known when the bench started it */
  natsPid: number | undefined;
  nc: NatsConnection;
  rpc: RpcClient;
  /** a client without nats.js' async stack traces (three stack-captured Errors per request) */
  leanRpc: RpcClient;
  /** tools/bench/transport-echo.mjs: answers ECHO_SUBJECT over NATS and POST / over HTTP with the request's bytes */
  echo: { httpPort: number; child: ChildProcess };
  echoPids: Pids;
  /** the registry and (when the bench started it) the embedded Postgres: where the workers' drift reports go */
  storePids: Pids;
  smallRef: string;
  heavyRef: string;
  /** the worker serving now (a scenario that restarts it goes through restartWorker) */
  worker: RunningService;
  /** stops the current worker and starts another with these settings (batching env, node flags) */
  restartWorker(env?: Record<string, string>, nodeArgs?: string[]): Promise<RunningService>;
  /** a freshly started worker: wait until it serves both models, then let its JIT warm up (not measured) */
  ready(): Promise<void>;
  /** registers a version of `model` (with a reference profile, as a trained model brings) and returns its ref */
  register(model: string, bytes: Uint8Array, width: number): Promise<string>;
  deploy(ref: string): Promise<unknown>;
  /** the bare Fastify echo and the bare relay (tools/bench/http-baselines.mjs), started on first use */
  baselines(): Promise<Record<'fastify' | 'relay', { port: number; child: ChildProcess }>>;
}

/** A goal line of the summary; `rank` orders the lines whatever order the scenarios ran in. */
export interface Goal {
  rank: number;
  line: string;
}

export interface ScenarioResult {
  rows: Row[];
  goals?: Goal[];
}

/** One scenario of the benchmark: measures its cells on the shared set-up and returns its rows of the table. */
export type Scenario = (ctx: BenchContext) => Promise<ScenarioResult>;
