import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { LogLensError, validateMessage } from '@loglens/contracts';
import { UNPARSEABLE_PAYLOAD } from './contract-deserializer';

const PRIMITIVES = new Set<unknown>([String, Number, Boolean, Object, Array, undefined]);

/** Validates every message payload against its contract class before a handler sees it. */
@Injectable()
export class ContractValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (value === UNPARSEABLE_PAYLOAD) {
      throw new LogLensError('VALIDATION_FAILED', 'payload is not valid JSON');
    }
    if (metadata.type !== 'body' || PRIMITIVES.has(metadata.metatype)) return value;
    const cls = metadata.metatype as new () => object;
    return validateMessage(cls, value ?? {});
  }
}
