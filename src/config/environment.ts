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
const BOOLEANS: Record<string, boolean> = { true: true, '1': true, yes: true, on: true, false: false, '0': false, no: false, off: false };
const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (BOOLEANS[value.trim().toLowerCase()] ?? value) : value;
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

  /** Where the API listens: 127.0.0.1 in development (the development admin key must not reach the network), 0.0.0.0 in production. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  HOST?: string;

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
  /** A post holds its connection over two round trips: 50 concurrent posts ran 20 % faster on 25 connections than on 10. */
  DB_POOL_SIZE = 25;

  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must look like redis://host:port/db' })
  REDIS_URL?: string;

  @Matches(/^(\{[A-Za-z0-9_-]{1,30}\}|[A-Za-z0-9_-]{1,32})$/, { message: 'QUEUE_PREFIX must be 1-32 letters, digits, - or _ (or such a name in braces, a Redis Cluster hash tag)' })
  QUEUE_PREFIX = 'ce';

  /** A Redis Cluster instead of REDIS_URL (queues, sessions, rate limits, caches): `host:port,host:port,…`. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, { message: 'REDIS_CLUSTER_NODES must look like host:port,host:port' })
  REDIS_CLUSTER_NODES?: string;

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

  /** Wrong keys or tokens a client address may send a minute before it gets 429 (across processes). */
  @Transform(toInteger)
  @Min(1)
  @IsInt()
  AUTH_FAILURES_PER_MINUTE = 20;

  /** The most hours one provider may record for one person on one completion date. */
  @Transform(toInteger)
  @Min(1)
  @IsInt()
  MAX_HOURS_PER_PERSON_DAY = 500;

  /** A request that needs MySQL or Redis gets 503 after this long without an answer, never hangs. */
  @Transform(toInteger)
  @Min(100)
  @IsInt()
  REQUEST_TIMEOUT_MS = 10000;

  /** The single sign-on (OpenID Connect): the issuer whose /.well-known/openid-configuration is read, and this client's credentials. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OIDC_ISSUER must be an http(s) URL' })
  OIDC_ISSUER?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** The claims that carry a person's ID number and name, and an organisation's unified social credit code. */
  @IsString()
  OIDC_ID_NUMBER_CLAIM = 'id_number';

  @IsString()
  OIDC_NAME_CLAIM = 'name';

  @IsString()
  OIDC_ORG_CODE_CLAIM = 'org_code';

  /** Where people reach the service (the redirect URI is PUBLIC_BASE_URL/auth/callback); https makes cookies Secure. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'PUBLIC_BASE_URL must be scheme://host[:port] without a path' })
  PUBLIC_BASE_URL?: string;

  /** How long a signed-in session lasts without use. */
  @Transform(toInteger)
  @Min(60)
  @IsInt()
  SESSION_TTL_SECONDS = 8 * 3600;

  /** Who issues the printed 学时证明 (its 出具机构 line). */
  @IsString()
  ISSUER_NAME = '浙江省专业技术人员继续教育学时登记服务';

  /** Look-ups of verification codes a client address may make a minute (GET /verify/…), across processes. */
  @Transform(toInteger)
  @Min(1)
  @IsInt()
  VERIFY_RATE_LIMIT_PER_MINUTE = 60;

  /** Hosts a callbackUrl may name although they are not public (comma-separated), e.g. a title system on the same network. */
  @IsString()
  WEBHOOK_ALLOWED_HOSTS = '';

  /** Ed25519 private key (PKCS#8 PEM) that signs certificates; generated under var/ in development. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----\s*$/, { message: 'SIGNING_KEY must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)' })
  @IsString()
  SIGNING_KEY?: string;

  /** Run the queue workers in this process (the API process does by default; `npm run start:worker` runs only them). */
  @Transform(toBoolean)
  @IsBoolean()
  RUN_WORKERS = true;

  @Transform(toInteger)
  @Min(1)
  @Max(256)
  @IsInt()
  WORKER_CONCURRENCY = 16;

  /** How often workers look for certifications whose jobs Redis lost, and how old such a row must be. */
  @Transform(toInteger)
  @Min(1)
  @IsInt()
  SWEEP_INTERVAL_SECONDS = 30;

  @Transform(toInteger)
  @Min(1)
  @IsInt()
  SWEEP_STALE_SECONDS = 60;

  /** A job whose worker stops renewing its lock for this long is taken over by another worker. */
  @Transform(toInteger)
  @Min(1000)
  @IsInt()
  WORKER_LOCK_MS = 30000;

  @Transform(toInteger)
  @Min(1)
  @Max(30)
  @IsInt()
  WEBHOOK_MAX_ATTEMPTS = 10;

  /** The first retry waits this long; each next one twice as long. */
  @Transform(toInteger)
  @Min(10)
  @IsInt()
  WEBHOOK_BACKOFF_MS = 2000;

  @Transform(toInteger)
  @Min(100)
  @IsInt()
  WEBHOOK_TIMEOUT_MS = 10000;

  /** Bearer token that GET /metrics (and METRICS_PORT) require; unset: open (development only; required in production). */
  @Transform(emptyAsUnset)
  @IsOptional()
  @MinLength(16)
  @IsString()
  METRICS_TOKEN?: string;

  /** When set, metrics are also served on this port (GET /metrics): how a worker-only process is scraped. */
  @Transform(emptyAsUnset)
  @Transform(toInteger)
  @IsOptional()
  @Min(1)
  @Max(65535)
  @IsInt()
  METRICS_PORT?: number;

  /** Who approves self-reported hours, in order: the employer, then the human-resources office (or the employer alone). */
  @IsIn(['employer,authority', 'employer'], { message: 'REVIEW_STAGES must be "employer,authority" or "employer"' })
  REVIEW_STAGES: 'employer,authority' | 'employer' = 'employer,authority';

  /** Where status changes of self-reported activities are POSTed (HMAC-signed), for SMS or 浙里办 messages; unset: none sent. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'NOTIFY_WEBHOOK_URL must be an http(s) URL' })
  NOTIFY_WEBHOOK_URL?: string;

  /** The HMAC secret of those notifications (x-ce-signature, as certification callbacks); at least 32 characters. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @MinLength(SECRET_MIN_LENGTH)
  @IsString()
  NOTIFY_WEBHOOK_SECRET?: string;
}

/** The configuration the application reads: every value present, defaults applied (SIGNING_KEY may be generated). */
type OptionalSetting =
  | 'SIGNING_KEY'
  | 'OIDC_ISSUER'
  | 'OIDC_CLIENT_ID'
  | 'OIDC_CLIENT_SECRET'
  | 'NOTIFY_WEBHOOK_URL'
  | 'NOTIFY_WEBHOOK_SECRET'
  | 'METRICS_TOKEN'
  | 'METRICS_PORT'
  | 'REDIS_CLUSTER_NODES';
export type AppConfig = Required<Omit<Environment, OptionalSetting>> & Pick<Environment, OptionalSetting>;

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
  if (production && env.SIGNING_KEY === undefined) problems.push('SIGNING_KEY is required when NODE_ENV=production');
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_API_KEY', 'APPLICANT_JWT_SECRET', 'PII_KEY'] as const) {
    if (env[name] === undefined) {
      if (production) problems.push(`${name} is required when NODE_ENV=production`);
      else env[name] = DEVELOPMENT_DEFAULTS[name];
    } else if (production && env[name] === DEVELOPMENT_DEFAULTS[name]) {
      problems.push(`${name} must not be the development default when NODE_ENV=production`);
    }
  }
  env.HOST ??= production ? '0.0.0.0' : '127.0.0.1';
  env.PUBLIC_BASE_URL ??= `http://localhost:${env.PORT}`;
  if (env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID is required when OIDC_ISSUER is set');
  if (production && env.OIDC_ISSUER && !env.OIDC_ISSUER.startsWith('https:')) problems.push('OIDC_ISSUER must be https when NODE_ENV=production');
  if (production && !env.METRICS_TOKEN) problems.push('METRICS_TOKEN is required when NODE_ENV=production');
  if (env.NOTIFY_WEBHOOK_URL && !env.NOTIFY_WEBHOOK_SECRET) problems.push('NOTIFY_WEBHOOK_SECRET is required when NOTIFY_WEBHOOK_URL is set');
  if (production && env.NOTIFY_WEBHOOK_URL && !env.NOTIFY_WEBHOOK_URL.startsWith('https:')) problems.push('NOTIFY_WEBHOOK_URL must be https when NODE_ENV=production');
  if (problems.length > 0) {
    throw new ConfigurationError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return env as AppConfig;
}
