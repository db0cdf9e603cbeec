import { IsOptional, IsString, Matches } from 'class-validator';
import { ModelLimitsEnv } from '../validation/model-limits.env';

// ModelLimitsEnv (ONNX_MAX_*, MODEL_SANDBOX_*) extends BaseServiceEnv: one validation, one message at start
export class RegistryEnv extends ModelLimitsEnv {
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a postgres:// URL (npm start provides an embedded Postgres when none is set)',
  })
  DATABASE_URL: string = '';

  /** lets several registries (e.g. parallel test runs) share one database without seeing each other */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case SQL identifier' })
  DATABASE_SCHEMA: string = 'public';
}
