import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

/** Development defaults: fine on a laptop, refused with NODE_ENV=production. */
export const DEVELOPMENT_DEFAULTS = {
  DATABASE_URL: 'mysql://root:@127.0.0.1:3306/ce_ledger',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  ADMIN_API_KEY: 'dev-admin-key-0000000000000000000000',
  APPLICANT_JWT_SECRET: 'dev-applicant-jwt-secret-000000000000000',
  PII_KEY: 'dev-pii-key-00000000000000000000000000000',
} as const;

const SECRET_MIN_LENGTH = 32;

/** An empty variable (`PII_KEY=`) counts as unset, as a shell or docker compose writes it. */
const emptyAsUnset = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase()) : value;
const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInteger)
  @Min(0)
  @Max(65535)
  @IsInt()
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, { message: 'DATABASE_URL must look like mysql://user:password@host:port/database' })
  DATABASE_URL?: string;

  @Transform(toBoolean)
  @IsBoolean()
  DB_MIGRATE = true;

  @Transform(toInteger)
  @Min(1)
  @Max(500)
  @IsInt()
  DB_POOL_SIZE = 10;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must look like redis://host:port/db' })
  REDIS_URL?: string;

  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'QUEUE_PREFIX must be 1-32 letters, digits, - or _' })
  QUEUE_PREFIX = 'ce';

  @Transform(emptyAsUnset)
  @IsOptional()
  @MinLength(SECRET_MIN_LENGTH)
  @IsString()
  ADMIN_API_KEY?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @MinLength(SECRET_MIN_LENGTH)
  @IsString()
  APPLICANT_JWT_SECRET?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @MinLength(SECRET_MIN_LENGTH)
  @IsString()
  PII_KEY?: string;

  @Transform(toInteger)
  @Min(0)
  @IsInt()
  RATE_LIMIT_PER_MINUTE = 6000;
}

/** The configuration the application reads: every value present, defaults applied. */
export type AppConfig = Required<Environment>;

export class ConfigurationError extends Error {}

/**
 * Validates process.env for @nestjs/config. Every problem names its variable, so that a
 * failed start says exactly what to fix (one message a variable: the type check, nearest the
 * property, runs first).
 */
export function validateEnvironment(raw: Record<string, unknown>): AppConfig {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const problems = validateSync(env, { stopAtFirstError: true }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    ),
  );
  const production = env.NODE_ENV === 'production';
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_API_KEY', 'APPLICANT_JWT_SECRET', 'PII_KEY'] as const) {
    if (env[name] === undefined) {
      if (production) problems.push(`${name} is required when NODE_ENV=production`);
      else env[name] = DEVELOPMENT_DEFAULTS[name];
    } else if (production && env[name] === DEVELOPMENT_DEFAULTS[name]) {
      problems.push(`${name} must not be the development default when NODE_ENV=production`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigurationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return env as AppConfig;
}
