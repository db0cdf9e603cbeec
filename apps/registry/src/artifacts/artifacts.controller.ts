import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetArtifactChunkRequest, RegistrySubjects, type ArtifactChunkReply } from '@loglens/contracts';
import { ArtifactsService } from './artifacts.service';

@Controller()
export class ArtifactsController {
  constructor(private readonly artifacts: ArtifactsService) {}

  @MessagePattern(RegistrySubjects.getArtifactChunk)
  chunk(@Payload() req: GetArtifactChunkRequest): Promise<ArtifactChunkReply> {
    return this.artifacts.chunk(req.sha256, req.index);
  }
}
