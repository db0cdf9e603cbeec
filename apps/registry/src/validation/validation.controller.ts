import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetValidationRequest, RegistrySubjects, ValidateVersionRequest, type ValidationReportDto } from '@loglens/contracts';
import { ValidationService } from './validation.service';

@Controller()
export class ValidationController {
  constructor(private readonly validation: ValidationService) {}

  @MessagePattern(RegistrySubjects.validateVersion)
  validate(@Payload() req: ValidateVersionRequest): Promise<ValidationReportDto> {
    return this.validation.validate(req.ref, req.actor);
  }

  @MessagePattern(RegistrySubjects.getValidation)
  latest(@Payload() req: GetValidationRequest): Promise<ValidationReportDto> {
    return this.validation.latest(req.ref);
  }
}
