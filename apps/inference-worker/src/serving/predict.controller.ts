import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InferenceSubjects, InferRequest, ValidateArtifactRequest, type InferReply, type ValidateArtifactReply } from '@loglens/contracts';
import { ArtifactValidator } from './artifact-validator';
import { InferService } from './predict.service';

/** `inference.predict.v1` is served by PredictResponder (the hot path); these are the other inference subjects. */
@Controller()
export class PredictController {
  constructor(
    private readonly validator: ArtifactValidator,
    private readonly inference: InferService,
  ) {}

  @MessagePattern(InferenceSubjects.infer)
  infer(@Payload() req: InferRequest): Promise<InferReply> {
    return this.inference.infer(req);
  }

  @MessagePattern(InferenceSubjects.validateArtifact)
  validate(@Payload() req: ValidateArtifactRequest): Promise<ValidateArtifactReply> {
    return this.validator.validate(req);
  }
}
