import { Injectable, inject } from '@angular/core';
import type { ListModelsReply } from '@loglens/contracts';
import { type Observable, defer, filter, map } from 'rxjs';
import { LifecycleData } from '../../core/data/lifecycle.data';
import { ModelsData } from '../../core/data/models.data';
import { LiveEventsService } from '../../core/live-events.service';
import { type UploadState, stateOfEvent } from './upload-state';

/** What the upload form sends: the model file, an optional scaler and the metadata JSON as typed. */
export interface UploadFiles {
  model: File;
  scaler: File | null;
  metadata: string;
}

/** The upload page's calls: the known models (for the name's suggestions) and the upload of a new version. */
@Injectable({ providedIn: 'root' })
export class UploadData {
  private readonly modelsData = inject(ModelsData);
  private readonly lifecycle = inject(LifecycleData);
  private readonly live = inject(LiveEventsService);

  models(): Observable<ListModelsReply> {
    return this.modelsData.list();
  }

  /**
   * Sends a new version of `model` and tells where the upload is (uploading → validating → done); completes after
   * the reply and fails with the gateway's error (stateOfError words it). The live events of this change are the
   * console's own, so they are not announced back.
   */
  upload(model: string, files: UploadFiles): Observable<UploadState> {
    return defer(() => {
      this.live.noteOwnChange(model);
      return this.lifecycle.upload(model, {
        model: files.model,
        modelFilename: files.model.name,
        scaler: files.scaler,
        scalerFilename: files.scaler?.name,
        metadata: files.metadata,
      });
    }).pipe(
      map(stateOfEvent),
      filter((s): s is UploadState => s !== null),
    );
  }
}
