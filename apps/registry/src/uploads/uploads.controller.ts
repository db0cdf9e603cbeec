import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import {
  BeginUploadRequest,
  CommitUploadRequest,
  RegistrySubjects,
  UploadChunkRequest,
  type BeginUploadReply,
  type UploadChunkReply,
} from '@loglens/contracts';
import type { RegisteredVersion } from '../models/models.service';
import { UploadsService } from './uploads.service';

@Controller()
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @HandlesRpc(RegistrySubjects.beginUpload)
  begin(@Payload() req: BeginUploadRequest): Promise<BeginUploadReply> {
    return this.uploads.begin(req);
  }

  @HandlesRpc(RegistrySubjects.uploadChunk)
  chunk(@Payload() req: UploadChunkRequest): Promise<UploadChunkReply> {
    return this.uploads.chunk(req);
  }

  @HandlesRpc(RegistrySubjects.commitUpload)
  commit(@Payload() req: CommitUploadRequest): Promise<RegisteredVersion> {
    return this.uploads.commit(req);
  }
}
