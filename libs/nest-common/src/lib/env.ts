import { plainToInstance } from 'class-transformer';
import { DEFAULT_NAMESPACE, NAMESPACE_PATTERN } from '@loglens/contracts';
import { getMetadataStorage, IsOptional, IsString, Matches, validateSync } from 'class-validator';

/** Variables every service reads. */
export class BaseServiceEnv {
  /** one server, or a cluster's servers comma-separated (`nats://n1:4222,nats://n2:4222,nats://n3:4222`) */
  @IsOptional()
  @Matches(/^(nats|tls|ws|wss):\/\/[^\s,]+(,\s*(nats|tls|ws|wss):\/\/[^\s,]+)*$/, {
    message: 'NATS_URL must be a nats:// URL or a comma-separated list of them, e.g. nats://127.0.0.1:4222',
  })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  /** distinguishes instances of one service in health replies and telemetry */
  @IsOptional()
  @IsString()
  INSTANCE_ID?: string;

  /** prefix of every subject, stream, durable and bucket (read by the contracts when they load) */
  @IsOptional()
  @Matches(NAMESPACE_PATTERN, { message: 'LOGLENS_NAMESPACE must be 1-32 letters, digits, "_" or "-"' })
  LOGLENS_NAMESPACE: string = DEFAULT_NAMESPACE;

  /** NATS credentials and TLS files: see natsConnectOptions */
  @IsOptional()
  @IsString()
  NATS_NKEY_FILE?: string;

  @IsOptional()
  @IsString()
  NATS_USER?: string;

  @IsOptional()
  @IsString()
  NATS_PASSWORD?: string;

  @IsOptional()
  @IsString()
  NATS_TLS_CA?: string;

  @IsOptional()
  @IsString()
  NATS_TLS_CERT?: string;

  @IsOptional()
  @IsString()
  NATS_TLS_KEY?: string;
}

/**
 * Reads and validates a service's environment at start. Fails fast with one message listing every bad
 * variable, so a misconfigured deployment says what to fix instead of failing later on first use.
 */
export function validateEnv<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv): T {
  const declared = getMetadataStorage()
    .getTargetValidationMetadatas(cls, '', true, false)
    .map((m) => m.propertyName);
  const keys = new Set([...declared, ...Object.keys(new cls())]);
  const raw: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const instance = plainToInstance(cls, raw, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(instance);
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  - ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} (got ${JSON.stringify(raw[e.property] ?? e.value)})`,
    );
    throw new Error(`invalid environment (${cls.name}):\n${lines.join('\n')}`);
  }
  return instance;
}

export { natsServers } from './nats-servers';
