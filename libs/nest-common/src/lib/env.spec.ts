import 'reflect-metadata';
import { IsInt, IsOptional, Matches, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { BaseServiceEnv, natsServers, validateEnv } from './env';

class SampleEnv extends BaseServiceEnv {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PORT: number = 3000;

  @Matches(/^postgres:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = '';
}

describe('validateEnv', () => {
  it('applies defaults and converts numbers', () => {
    const env = validateEnv(SampleEnv, { PORT: '8080', DATABASE_URL: 'postgres://x' });
    expect(env.PORT).toBe(8080);
    expect(env.NATS_URL).toBe('nats://127.0.0.1:4222');
  });

  it('lists every bad variable in one message', () => {
    let message = '';
    try {
      validateEnv(SampleEnv, { PORT: 'abc', NATS_URL: 'http://nope' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/PORT: .*integer.*\(got "abc"\)/);
    expect(message).toMatch(/NATS_URL must be a nats:\/\/ URL/);
    expect(message).toMatch(/DATABASE_URL must be a postgres/);
  });

  it("takes a cluster's servers as a comma-separated NATS_URL", () => {
    const env = validateEnv(SampleEnv, { NATS_URL: 'nats://n1:4222, nats://n2:4222,nats://n3:4222', DATABASE_URL: 'postgres://x' });
    expect(natsServers(env.NATS_URL)).toEqual(['nats://n1:4222', 'nats://n2:4222', 'nats://n3:4222']);
    expect(() => validateEnv(SampleEnv, { NATS_URL: 'nats://n1:4222,,http://n2', DATABASE_URL: 'postgres://x' })).toThrow(/NATS_URL/);
  });

  it('treats empty variables as unset', () => {
    expect(validateEnv(SampleEnv, { PORT: '', DATABASE_URL: 'postgres://x' }).PORT).toBe(3000);
  });
});
