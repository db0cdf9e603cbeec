import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InferenceSubjects, PredictRequest, type PredictReply } from '@loglens/contracts';
import { PredictService } from './predict.service';

@Controller()
export class PredictController {
  constructor(private readonly predictions: PredictService) {}

  @MessagePattern(InferenceSubjects.predict)
  predict(@Payload() req: PredictRequest): Promise<PredictReply> {
    return this.predictions.predict(req);
  }
}
