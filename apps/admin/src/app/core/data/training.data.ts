import { Injectable, inject } from '@angular/core';
import { routes, type TrainBody } from '@loglens/client';
import type { JobDto, ListJobsRequest } from '@loglens/contracts';
import type { Observable } from 'rxjs';
import { Gateway } from '../gateway.service';

/** Train jobs: from the LOGS stream or an uploaded log file. */
@Injectable({ providedIn: 'root' })
export class TrainingData {
  private readonly gw = inject(Gateway);

  /** Queues a job training `model` on the sources' logs in the LOGS stream; 202 with the queued job. */
  train(model: string, body: TrainBody): Observable<JobDto> {
    return this.gw.call(routes.sources.train(model, body));
  }

  /** Queues a job training `model` on an uploaded log file (NDJSON `{message, timestamp?}` or plain lines). */
  trainFromFile(model: string, file: File, body: TrainBody): Observable<JobDto> {
    return this.gw.call(routes.sources.trainFromFile(model, { data: file, filename: file.name }, body));
  }

  /** Jobs, newest first. */
  jobs(query: ListJobsRequest = {}): Observable<JobDto[]> {
    return this.gw.call(routes.sources.jobs(query));
  }

  job(id: string): Observable<JobDto> {
    return this.gw.call(routes.sources.job(id));
  }
}
