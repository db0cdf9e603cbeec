// Runs trainSourceModel off the main thread: training is CPU-bound for seconds to minutes, and the trainer's event
// loop must keep answering health pings and telling JetStream the job is still being worked on.
import { parentPort, workerData } from 'node:worker_threads';
import { trainSourceModel, type SourceTrainingOptions } from '@loglens/source-models';

export type WorkerMessage =
  | { type: 'progress'; stage: string; done: number; total: number }
  | { type: 'done'; model: ReturnType<typeof trainSourceModel> }
  | { type: 'error'; message: string };

const port = parentPort;
if (port) {
  const post = (m: WorkerMessage) => port.postMessage(m);
  try {
    const options = workerData as Omit<SourceTrainingOptions, 'onProgress'>;
    const model = trainSourceModel({ ...options, onProgress: (stage, done, total) => post({ type: 'progress', stage, done, total }) });
    post({ type: 'done', model });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}
