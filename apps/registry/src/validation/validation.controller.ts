import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import { GetValidationRequest, RegistrySubjects, ValidateVersionRequest, type ValidationReportDto } from '@loglens/contracts';
import { ValidationService } from './validation.service';

@Controller()
export class ValidationController {
  constructor(private readonly validation: ValidationService) {}

  @HandlesRpc(RegistrySubjects.validateVersion)
  validate(@Payload() req: ValidateVersionRequest): Promise<ValidationReportDto> {
    return this.validation.validate(req.ref, req.actor);
  }

  @HandlesRpc(RegistrySubjects.getValidation)
  latest(@Payload() req: GetValidationRequest): Promise<ValidationReportDto> {
    return this.validation.latest(req.ref);
  }
}
