import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { LogLensError } from '@loglens/contracts';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    return [...Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`), ...flatten(e.children ?? [], path)];
  });
}

/** Request bodies are validated against their DTO; a 400 names every bad field. */
export function httpValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new LogLensError('VALIDATION_FAILED', `invalid request body: ${details.join('; ')}`, details);
    },
  });
}
