import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InferenceSubjects, InferRequest, PredictRequest, ValidateArtifactRequest, type InferReply, type PredictReply, type ValidateArtifactReply } from '@loglens/contracts';
import { ArtifactValidator } from './artifact-validator';
import { InferService, PredictService } from './predict.service';

@Controller()
export class PredictController {
  constructor(
    private readonly predictions: PredictService,
    private readonly validator: ArtifactValidator,
    private readonly inference: InferService,
  ) {}

  @MessagePattern(InferenceSubjects.infer)
  infer(@Payload() req: InferRequest): Promise<InferReply> {
    return this.inference.infer(req);
  }

  @MessagePattern(InferenceSubjects.predict)
  predict(@Payload() req: PredictRequest): Promise<PredictReply> {
    return this.predictions.predict(req);
  }

  @MessagePattern(InferenceSubjects.validateArtifact)
  validate(@Payload() req: ValidateArtifactRequest): Promise<ValidateArtifactReply> {
    return this.validator.validate(req);
  }
}
