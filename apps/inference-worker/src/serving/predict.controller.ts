import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
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

  @HandlesRpc(InferenceSubjects.infer)
  infer(@Payload() req: InferRequest): Promise<InferReply> {
    return this.inference.infer(req);
  }

  @HandlesRpc(InferenceSubjects.validateArtifact)
  validate(@Payload() req: ValidateArtifactRequest): Promise<ValidateArtifactReply> {
    return this.validator.validate(req);
  }
}
