import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import {
  JobErrorMessage,
  JobProgressMessage,
  JobSubjects,
  TrainInputFile,
  TrainParams,
  validateMessage,
  LogLensError,
  type CreateTrainJobRequest,
  type JobChangedEvent,
  type JobDto,
  type ListJobsRequest,
  type TrainWorkItem,
  type UpdateJobRequest,
} from '@loglens/contracts';
import { EventBus, NATS_CONNECTION, ensureJobsStream, logCountsOf } from '@loglens/nest-common';
import { JobEntity } from './job.entity';

const encoder = new TextEncoder();

/**
 * Train jobs. The row here is the job's record (state, progress, outcome); the work item on the JOBS work queue only
 * names it, so a trainer that dies leaves the job to be taken again and a finished job can never run twice.
 */
@Injectable()
export class JobsService {
  private readonly logger = new Logger(JobsService.name);
  private streamReady?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly bus: EventBus,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  async create(req: CreateTrainJobRequest): Promise<JobDto> {
    const params = validateMessage(TrainParams, req.params);
    const file = req.file ? validateMessage(TrainInputFile, req.file) : null;
    if (!file) {
      // training reads the sources back from LOGS: one that never sent a line there is a mistake worth a 404 now
      for (const source of params.sources) {
        const counts = await logCountsOf(this.nc, source);
        if (counts.base + counts.wifi === 0) {
          throw new LogLensError('NOT_FOUND', `no logs for source "${source}" in the LOGS stream (logs.generic.${source} / logs.wifi.${source}); send some first or upload a "logs" file`);
        }
      }
    }
    const repo = this.ds.getRepository(JobEntity);
    const now = new Date();
    const job = await repo.save(
      repo.create({
        kind: 'train',
        model: req.model,
        state: 'queued',
        progress: { stage: 'queued', done: 0, total: 0 },
        params: { ...params },
        file: file ? { ...file } : null,
        result: null,
        error: null,
        worker: null,
        attempts: 0,
        createdBy: req.createdBy,
        createdAt: now,
        updatedAt: now,
      }),
    );
    try {
      this.streamReady ??= ensureJobsStream(this.nc);
      await this.streamReady;
      const item: TrainWorkItem = { jobId: job.id, ...(job.file ? { payloadObject: job.file.payloadObject } : {}) };
      // the job id as message id: a retried publish is stored once
      await this.nc.jetstream().publish(JobSubjects.trainWork, encoder.encode(JSON.stringify(item)), { msgID: job.id });
    } catch (e) {
      this.streamReady = undefined;
      const message = `the job could not be queued: ${(e as Error).message}`;
      await repo.update({ id: job.id }, { state: 'failed', error: { code: 'UNAVAILABLE', message }, updatedAt: new Date() });
      this.publish(await repo.findOneByOrFail({ id: job.id }));
      throw new LogLensError('UNAVAILABLE', message);
    }
    const dto = toJobDto(job);
    this.publish(job);
    this.logger.log(`job ${job.id}: train "${job.model}" on ${job.params.sources.join(', ')} queued by ${job.createdBy}`);
    return dto;
  }

  async get(id: string): Promise<JobDto> {
    const job = await this.ds.getRepository(JobEntity).findOneBy({ id });
    if (!job) throw new LogLensError('NOT_FOUND', `no job ${id}`);
    return toJobDto(job);
  }

  async list(req: ListJobsRequest): Promise<JobDto[]> {
    const rows = await this.ds.getRepository(JobEntity).find({
      where: { ...(req.model ? { model: req.model } : {}), ...(req.state ? { state: req.state } : {}) },
      order: { createdAt: 'DESC' },
      take: req.limit ?? 100,
    });
    return rows.map(toJobDto);
  }

  /**
   * A trainer's report. `running` claims the job (again when its earlier trainer died); other reports must come from
   * the trainer holding it, so a trainer presumed dead cannot overwrite its successor's work. Finished jobs stay finished.
   */
  async update(req: UpdateJobRequest): Promise<JobDto> {
    if (req.progress) validateMessage(JobProgressMessage, req.progress);
    if (req.error) validateMessage(JobErrorMessage, req.error);
    const updated = await this.ds.transaction(async (m) => {
      const repo = m.getRepository(JobEntity);
      const job = await repo.findOne({ where: { id: req.id }, lock: { mode: 'pessimistic_write' } });
      if (!job) throw new LogLensError('NOT_FOUND', `no job ${req.id}`);
      if (job.state === 'succeeded' || job.state === 'failed') throw new LogLensError('CONFLICT', `job ${job.id} has already ${job.state}`);
      if (req.state === 'running') {
        job.attempts += 1;
        job.worker = req.worker;
        job.state = 'running';
      } else if (job.worker !== null && job.worker !== req.worker) {
        throw new LogLensError('CONFLICT', `job ${job.id} is held by ${job.worker}, not ${req.worker}`);
      } else if (req.state) {
        job.state = req.state;
      }
      if (req.progress) job.progress = req.progress;
      if (req.result) job.result = req.result;
      if (req.error) job.error = req.error;
      job.updatedAt = new Date();
      return repo.save(job);
    });
    this.publish(updated, req.state ? undefined : 'progress');
    return toJobDto(updated);
  }

  private publish(job: JobEntity, kind?: 'progress'): void {
    const event: JobChangedEvent = { job: toJobDto(job), at: new Date().toISOString() };
    this.bus.publish(JobSubjects[kind ?? job.state], event);
  }
}

export function toJobDto(j: JobEntity): JobDto {
  return {
    id: j.id,
    kind: j.kind,
    model: j.model,
    state: j.state,
    progress: j.progress,
    params: { ...j.params, ...(j.file ? { file: { name: j.file.name, bytes: j.file.bytes, lines: j.file.lines } } : {}) },
    ...(j.result ? { result: j.result } : {}),
    ...(j.error ? { error: j.error } : {}),
    createdBy: j.createdBy,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
  };
}
