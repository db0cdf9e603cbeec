import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
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

  /** how often the drift check runs (docs/monitoring.md): every minute */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  DRIFT_CHECK_MS: number = 60_000;

  /** the range each drift check compares with the reference: the last hour */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(604_800_000)
  DRIFT_CHECK_WINDOW_MS: number = 3_600_000;

  /** a drift check over fewer live windows than this decides no crossing */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  DRIFT_MIN_WINDOWS: number = 30;

  /** a version without a reference profile (an uploaded model) freezes its first this many live windows into one */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(100_000)
  DRIFT_REFERENCE_WINDOWS: number = 500;
}
