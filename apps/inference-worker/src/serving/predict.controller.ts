import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InferenceSubjects, PredictRequest, ValidateArtifactRequest, type PredictReply, type ValidateArtifactReply } from '@loglens/contracts';
import { ArtifactValidator } from './artifact-validator';
import { PredictService } from './predict.service';

@Controller()
export class PredictController {
  constructor(
    private readonly predictions: PredictService,
    private readonly validator: ArtifactValidator,
  ) {}

  @MessagePattern(InferenceSubjects.predict)
  predict(@Payload() req: PredictRequest): Promise<PredictReply> {
    return this.predictions.predict(req);
  }

  @MessagePattern(InferenceSubjects.validateArtifact)
  validate(@Payload() req: ValidateArtifactRequest): Promise<ValidateArtifactReply> {
    return this.validator.validate(req);
  }
}
