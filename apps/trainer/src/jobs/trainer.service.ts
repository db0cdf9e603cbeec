import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AckPolicy, nanos, type JsMsg, type NatsConnection } from 'nats';
import { LogLensError, TrainerStreams, type TrainWorkItem } from '@loglens/contracts';
import { HealthResponder, NATS_CONNECTION, RpcClient, SERVICE_IDENTITY, ensureJobsStream, type ServiceIdentity } from '@loglens/nest-common';
import type { TrainerEnv } from '../app/trainer.env';
import { runTrainJob } from './train-job';

export const TRAINER_ENV = Symbol('TRAINER_ENV');

const decoder = new TextDecoder();

/**
 * Pulls train jobs from the JOBS work queue, one at a time per instance. A job is acknowledged only once it has ended
 * (succeeded or failed) in the registry; while it runs the trainer keeps it alive (`working`), so a trainer that dies
 * leaves the job to be redelivered to another after TRAINER_ACK_WAIT_MS, and one that is stopped hands it back at once.
 */
@Injectable()
export class TrainerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('trainer');
  private running = false;
  private loop?: Promise<void>;
  private current: { msg: JsMsg; jobId: string } | null = null;
  private done = 0;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly rpc: RpcClient,
    private readonly health: HealthResponder,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    @Inject(TRAINER_ENV) private readonly env: TrainerEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureJobsStream(this.nc);
    const jsm = await this.nc.jetstreamManager();
    const config = {
      durable_name: TrainerStreams.durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(this.env.TRAINER_ACK_WAIT_MS),
      // a job that kills its trainer every time is not retried forever
      max_deliver: 5,
    };
    try {
      await jsm.consumers.info(TrainerStreams.jobs, TrainerStreams.durable);
      await jsm.consumers.update(TrainerStreams.jobs, TrainerStreams.durable, { ack_wait: config.ack_wait, max_deliver: config.max_deliver });
    } catch {
      await jsm.consumers.add(TrainerStreams.jobs, config).catch((e: Error) => {
        if (!/already in use|exists/i.test(e.message)) throw e;
      });
    }
    this.health.addDetails('jobs', () => ({ current: this.current?.jobId ?? null, finished: this.done }));
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    // the job in hand goes back to the queue at once: another trainer (or this one restarted) takes it
    this.current?.msg.nak();
    await Promise.race([this.loop, new Promise((r) => setTimeout(r, 2000))]);
  }

  private async run(): Promise<void> {
    const consumer = await this.nc.jetstream().consumers.get(TrainerStreams.jobs, TrainerStreams.durable);
    while (this.running) {
      try {
        const batch = await consumer.fetch({ max_messages: 1, expires: 2000 });
        for await (const msg of batch) await this.take(msg);
      } catch (e) {
        if (!this.running) return;
        this.logger.warn(`job loop failed, retrying: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async take(msg: JsMsg): Promise<void> {
    let item: TrainWorkItem;
    try {
      item = JSON.parse(decoder.decode(msg.data)) as TrainWorkItem;
      if (typeof item.jobId !== 'string') throw new Error('no jobId');
    } catch (e) {
      this.logger.warn(`dropped a malformed work item: ${(e as Error).message}`);
      msg.term();
      return;
    }
    this.current = { msg, jobId: item.jobId };
    this.logger.log(`job ${item.jobId}: taken (delivery ${msg.info.deliveryCount})`);
    try {
      await runTrainJob(item, {
        nc: this.nc,
        rpc: this.rpc,
        worker: this.identity.instanceId,
        maxLines: this.env.TRAINER_MAX_LINES,
        alive: () => msg.working(),
        log: (line) => this.logger.log(line),
      });
      msg.ack();
      this.done++;
    } catch (e) {
      if (e instanceof LogLensError && (e.code === 'CONFLICT' || e.code === 'NOT_FOUND')) {
        // finished already (a redelivery after its trainer acked too late) or unknown: nothing left to do
        this.logger.log(`job ${item.jobId}: ${e.message}; dropping the work item`);
        msg.ack();
      } else if (this.running) {
        // the registry did not answer: the job stays queued and comes back
        this.logger.warn(`job ${item.jobId}: ${(e as Error).message}; will be retried`);
        msg.nak(5000);
      }
    } finally {
      this.current = null;
    }
  }
}
