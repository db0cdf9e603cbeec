import type { HttpEvent } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type ChangeOptions, routes, type UploadParts } from '@loglens/client';
import type {
  AliasReply,
  CommitUploadReply,
  DeployVersionReply,
  HistoryReply,
  HistoryRequest,
  ModelVersionDto,
  ValidationReportDto,
} from '@loglens/contracts';
import type { Observable } from 'rxjs';
import { Gateway } from '../gateway.service';

/** A version's lifecycle: upload, validation, deploy, rollback, aliases, tags, archive, and the history of it all. */
@Injectable({ providedIn: 'root' })
export class LifecycleData {
  private readonly gw = inject(Gateway);

  /**
   * Multipart upload of a new version, with upload progress events. The reply is 201 for a new version, 200 when
   * the same bytes were already registered (`duplicateOf`), 422 with the failed checks when refused.
   */
  upload(model: string, parts: UploadParts): Observable<HttpEvent<CommitUploadReply>> {
    return this.gw.callWithProgress(routes.lifecycle.upload(model, parts));
  }

  /** Runs every check again, including a test inference in a worker (can take a few seconds). */
  validate(ref: string): Observable<ValidationReportDto> {
    return this.gw.call(routes.lifecycle.validate(ref));
  }

  /** The latest validation report; 404 before the first one. */
  validation(ref: string): Observable<ValidationReportDto> {
    return this.gw.call(routes.lifecycle.validation(ref));
  }

  deploy(ref: string, opts: ChangeOptions = {}): Observable<DeployVersionReply> {
    return this.gw.call(routes.lifecycle.deploy(ref, opts));
  }

  /** `to` defaults to the version that served before the current one. */
  rollback(opts: { model: string; to?: string } & ChangeOptions): Observable<DeployVersionReply> {
    return this.gw.call(routes.lifecycle.rollback(opts));
  }

  history(query: HistoryRequest = {}): Observable<HistoryReply> {
    return this.gw.call(routes.lifecycle.history(query));
  }

  setAlias(model: string, alias: string, version: string, opts: ChangeOptions = {}): Observable<AliasReply> {
    return this.gw.call(routes.lifecycle.setAlias(model, alias, version, opts));
  }

  deleteAlias(model: string, alias: string): Observable<AliasReply> {
    return this.gw.call(routes.lifecycle.deleteAlias(model, alias));
  }

  archive(ref: string): Observable<ModelVersionDto> {
    return this.gw.call(routes.lifecycle.archive(ref));
  }

  setTags(ref: string, tags: string[]): Observable<ModelVersionDto> {
    return this.gw.call(routes.lifecycle.setTags(ref, tags));
  }
}
