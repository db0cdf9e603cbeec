import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { NatsConnection } from 'nats';
import {
  JetStreamNames,
  LogLensError,
  RegistrySubjects,
  type BeginUploadRequest,
  type BindSourceRequest,
  type CommitUploadRequest,
  type DeployVersionRequest,
  type JobDto,
  type JobResultDto,
  type LogRecordInput,
  type ModelVersionDto,
  type TrainWorkItem,
  type UpdateJobRequest,
  type UploadChunkRequest,
  type ValidationReportDto,
} from '@loglens/contracts';
import { readSourceLogs, type RpcClient } from '@loglens/nest-common';
import { SOURCE_ALGORITHMS, type SourceAlgorithm, type SourceModel, type SourceTrainingOptions } from '@loglens/source-models';
import type { WorkerMessage } from './train-worker';

/** A job that cannot succeed: it ends `failed` with this code and message (no retry would help). */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface JobContext {
  nc: NatsConnection;
  rpc: RpcClient;
  worker: string;
  maxLines: number;
  /** called while the job runs, so the work item is not redelivered to another trainer */
  alive: () => void;
  log: (line: string) => void;
}

const decoder = new TextDecoder();

/**
 * One train job, start to end: claim it, read the records (LOGS or the uploaded file), train in a worker thread,
 * register the version through the registry's chunked upload (validated like any upload), then deploy and bind
 * when asked. Progress goes to the registry at most twice a second.
 */
export async function runTrainJob(item: TrainWorkItem, ctx: JobContext): Promise<JobDto> {
  const jobId = item.jobId;
  let job = await report(ctx, { id: jobId, state: 'running', progress: { stage: 'reading', done: 0, total: 0 }, worker: ctx.worker });
  const progress = throttled(async (stage: string, done: number, total: number) => {
    ctx.alive();
    await report(ctx, { id: jobId, progress: { stage, done: Math.round(done), total: Math.round(total) }, worker: ctx.worker }).catch(() => undefined);
  });
  try {
    const p = job.params;
    const from = p.from ? Date.parse(p.from) : undefined;
    const to = p.to ? Date.parse(p.to) : undefined;
    let records: LogRecordInput[];
    let kinds: Array<'base' | 'wifi'> = [];
    let range = { from: p.from ?? null, to: p.to ?? null };
    if (job.params.file) {
      records = await readFile(ctx.nc, item.payloadObject, ctx.maxLines);
      if (records.length === 0) throw new JobFailure('NO_LOGS', `the uploaded file "${job.params.file.name}" holds no log lines`);
    } else {
      const read = await readSourceLogs(ctx.nc, p.sources, { from, to, maxLines: ctx.maxLines, onProgress: (d, t) => progress('reading', d, t) });
      records = read.records;
      kinds = read.kinds;
      if (records.length === 0) {
        const between = `${p.from ?? 'the oldest kept message'} and ${p.to ?? 'now'}`;
        throw new JobFailure('NO_LOGS', `no log lines for source${p.sources.length > 1 ? 's' : ''} ${p.sources.join(', ')} between ${between} (message time in the LOGS stream)`);
      }
      if (read.truncated) ctx.log(`job ${jobId}: read the first ${ctx.maxLines} lines only (TRAINER_MAX_LINES)`);
      range = { from: p.from ?? iso(read.first), to: p.to ?? iso(read.last) };
    }
    progress.flush();
    await progress('training', 0, records.length);
    const algorithm = p.algorithm ? sourceAlgorithm(p.algorithm) : undefined;
    const model = await trainInWorker(
      { sources: p.sources, records, ...(algorithm ? { algorithm } : {}), ...(p.windowMs ? { windowMs: p.windowMs } : {}), ...(p.topK ? { topK: p.topK } : {}) },
      (stage, done, total) => void progress(stage, done, total),
      ctx.alive,
    );
    progress.flush();
    await progress('registering', 0, 1);
    const metadata: Record<string, unknown> = {
      ...model.metadata,
      ...(model.metadata['agent'] === undefined ? { agent: kinds.length === 1 ? kinds[0] : 'base' } : {}),
      trainingJob: { id: jobId, sources: p.sources, from: range.from, to: range.to, input: job.params.file ? 'file' : 'stream' },
    };
    const registered = await upload(ctx.rpc, job.model, model.onnx, metadata, job.createdBy, `per-source model for ${p.sources.join(', ')}`);
    const ref = registered.version.ref;
    const result: JobResultDto = {
      version: ref,
      summary: model.summary as unknown as Record<string, unknown>,
      validation: registered.validation?.outcome ?? registered.version.validation,
    };
    if (p.deploy) {
      await progress('deploying', 0, 1);
      const deploy: DeployVersionRequest = { ref, actor: job.createdBy, reason: `train job ${jobId}` };
      await ctx.rpc.call(RegistrySubjects.deployVersion, deploy, { timeoutMs: 30_000 });
      result.deployed = true;
    }
    if (p.bind) {
      await progress('binding', 0, p.sources.length);
      const agent = metadata['agent'] === 'wifi' ? 'wifi' : 'base';
      for (const source of p.sources) {
        const bind: BindSourceRequest = { source, model: job.model, agent, actor: job.createdBy, reason: `train job ${jobId}` };
        await ctx.rpc.call(RegistrySubjects.bindSource, bind, { timeoutMs: 15_000 });
      }
      result.bound = [...p.sources];
    }
    progress.cancel();
    job = await report(ctx, { id: jobId, state: 'succeeded', progress: { stage: 'done', done: 1, total: 1 }, result, worker: ctx.worker });
    ctx.log(`job ${jobId}: ${ref} from ${records.length} lines${result.deployed ? ', deployed' : ''}${result.bound ? `, bound to ${result.bound.join(', ')}` : ''}`);
  } catch (e) {
    progress.cancel();
    const code = e instanceof JobFailure || e instanceof LogLensError ? e.code : 'TRAINING_FAILED';
    const message = (e as Error).message;
    ctx.log(`job ${jobId} failed: ${code}: ${message}`);
    job = await report(ctx, { id: jobId, state: 'failed', error: { code, message: message.slice(0, 4000) }, worker: ctx.worker });
  }
  if (item.payloadObject) await dropFile(ctx.nc, item.payloadObject);
  return job;
}

/** The contract names the detector families the API offers; the library says which it implements today. */
function sourceAlgorithm(name: string): SourceAlgorithm {
  if ((SOURCE_ALGORITHMS as readonly string[]).includes(name)) return name as SourceAlgorithm;
  throw new JobFailure('VALIDATION_FAILED', `algorithm "${name}" is not available for per-source models yet (available: ${SOURCE_ALGORITHMS.join(', ')})`);
}

function report(ctx: JobContext, req: UpdateJobRequest): Promise<JobDto> {
  return ctx.rpc.call(RegistrySubjects.updateJob, req, { timeoutMs: 10_000 });
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The uploaded file's records; read without deleting, so a job taken over after a crash can read them again. */
async function readFile(nc: NatsConnection, payloadObject: string | undefined, maxLines: number): Promise<LogRecordInput[]> {
  if (!payloadObject) throw new JobFailure('NO_LOGS', 'the job names no uploaded file object');
  const os = await nc.jetstream().views.os(JetStreamNames.payloads);
  const bytes = await os.getBlob(payloadObject);
  if (!bytes) throw new JobFailure('NO_LOGS', 'the uploaded file is no longer stored (the payloads bucket keeps it for an hour): upload it again');
  const body = JSON.parse(decoder.decode(bytes)) as { records?: LogRecordInput[] };
  return (body.records ?? []).slice(0, maxLines);
}

async function dropFile(nc: NatsConnection, payloadObject: string): Promise<void> {
  const os = await nc.jetstream().views.os(JetStreamNames.payloads);
  await os.delete(payloadObject).catch(() => undefined);
}

/** trainSourceModel in a worker thread (the bundled train-worker.js beside main.js). */
function trainInWorker(
  options: Omit<SourceTrainingOptions, 'onProgress'>,
  onProgress: (stage: string, done: number, total: number) => void,
  alive: () => void,
): Promise<SourceModel> {
  const file = path.join(__dirname, 'train-worker.js');
  if (!existsSync(file)) return Promise.reject(new Error(`${file} is missing: build the trainer (nx build trainer)`));
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: options });
    const beat = setInterval(alive, 2000);
    const end = () => clearInterval(beat);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m.stage, m.done, m.total);
      else if (m.type === 'done') {
        end();
        resolve({ ...m.model, onnx: new Uint8Array(m.model.onnx) });
      } else {
        end();
        reject(new JobFailure('TRAINING_FAILED', m.message));
      }
    });
    worker.on('error', (e) => {
      end();
      reject(new JobFailure('TRAINING_FAILED', e.message));
    });
    worker.on('exit', (code) => {
      end();
      if (code !== 0) reject(new JobFailure('TRAINING_FAILED', `the training thread exited with code ${code}`));
    });
  });
}

type Registered = { version: ModelVersionDto; duplicateOf: string | null; validation: ValidationReportDto | null };

/** The registry's chunked upload (begin / chunks / commit), as the gateway's upload does: registration validates. */
async function upload(rpc: RpcClient, model: string, onnx: Uint8Array, metadata: Record<string, unknown>, createdBy: string, description: string): Promise<Registered> {
  const bytes = Buffer.from(onnx);
  const begin: BeginUploadRequest = { model, modelBytes: bytes.byteLength, task: 'log-anomaly', description, metadata, createdBy };
  const { uploadId, chunkBytes } = await rpc.call(RegistrySubjects.beginUpload, begin, { timeoutMs: 10_000 });
  for (let index = 0; index * chunkBytes < bytes.byteLength; index++) {
    const chunk: UploadChunkRequest = { uploadId, part: 'model', index, dataBase64: bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes).toString('base64') };
    await rpc.call(RegistrySubjects.uploadChunk, chunk, { timeoutMs: 15_000, retries: 1 });
  }
  const commit: CommitUploadRequest = { uploadId, modelSha256: createHash('sha256').update(bytes).digest('hex') };
  return rpc.call(RegistrySubjects.commitUpload, commit, { timeoutMs: 60_000 });
}

interface Throttled {
  (stage: string, done: number, total: number): Promise<void>;
  flush(): void;
  cancel(): void;
}

/** Reports at most every 500 ms, and always on a stage change. */
function throttled(send: (stage: string, done: number, total: number) => Promise<void>): Throttled {
  let last = 0;
  let lastStage = '';
  let cancelled = false;
  const fn = (async (stage: string, done: number, total: number) => {
    const now = Date.now();
    if (cancelled || (stage === lastStage && now - last < 500 && done < total)) return;
    last = now;
    lastStage = stage;
    await send(stage, done, total);
  }) as Throttled;
  fn.flush = () => {
    last = 0;
  };
  fn.cancel = () => {
    cancelled = true;
  };
  return fn;
}
