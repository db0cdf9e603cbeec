import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { LogLensError } from './errors';

type MessageClass<T> = new () => T;

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? `${prefix ? prefix + '.' : ''}${m}` : `${path}: ${m}`));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/**
 * Turns an untrusted payload into a message instance, or throws VALIDATION_FAILED naming every bad field.
 * Unknown fields are refused so a typo (`row` for `rows`) is an error, not a silent default.
 */
export function validateMessage<T extends object>(cls: MessageClass<T>, input: unknown): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new LogLensError('VALIDATION_FAILED', `${cls.name}: expected a JSON object`);
  }
  const instance = plainToInstance(cls, input);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const details = flatten(errors);
    throw new LogLensError('VALIDATION_FAILED', `invalid ${cls.name}: ${details.join('; ')}`, details);
  }
  return instance;
}
