import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import { GetArtifactChunkRequest, RegistrySubjects, type ArtifactChunkReply } from '@loglens/contracts';
import { ArtifactsService } from './artifacts.service';

@Controller()
export class ArtifactsController {
  constructor(private readonly artifacts: ArtifactsService) {}

  @HandlesRpc(RegistrySubjects.getArtifactChunk)
  chunk(@Payload() req: GetArtifactChunkRequest): Promise<ArtifactChunkReply> {
    return this.artifacts.chunk(req.sha256, req.index);
  }
}
