import { DEVELOPMENT_DEFAULTS, validateEnvironment } from '../../src/config/environment.js';

import { generateKeyPairSync } from 'node:crypto';

const strong = {
  SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  DATABASE_URL: 'mysql://app:secret@db:3306/ce_ledger',
  REDIS_URL: 'redis://redis:6379/0',
  ADMIN_API_KEY: 'a'.repeat(40),
  APPLICANT_JWT_SECRET: 'b'.repeat(40),
  PII_KEY: 'c'.repeat(40),
  METRICS_TOKEN: 'd'.repeat(24),
};

describe('configuration', () => {
  it('applies development defaults when nothing is set', () => {
    const config = validateEnvironment({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe(DEVELOPMENT_DEFAULTS.DATABASE_URL);
    expect(config.QUEUE_PREFIX).toBe('ce');
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(6000);
    expect(config.DB_MIGRATE).toBe(true);
    expect(config.AUTH_FAILURES_PER_MINUTE).toBe(20);
    expect(config.MAX_HOURS_PER_PERSON_DAY).toBe(500);
    expect(config.REQUEST_TIMEOUT_MS).toBe(10000);
  });

  it('listens on loopback only in development, on every interface in production, or where HOST says', () => {
    expect(validateEnvironment({}).HOST).toBe('127.0.0.1');
    expect(validateEnvironment({ NODE_ENV: 'production', ...strong }).HOST).toBe('0.0.0.0');
    expect(validateEnvironment({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(validateEnvironment({ HOST: '' }).HOST).toBe('127.0.0.1');
  });

  it('treats an empty variable as unset, as docker compose passes `${X:-}`', () => {
    expect(validateEnvironment({ PII_KEY: '', ADMIN_API_KEY: '' }).PII_KEY).toBe(DEVELOPMENT_DEFAULTS.PII_KEY);
    expect(() => validateEnvironment({ NODE_ENV: 'production', ...strong, PII_KEY: '' })).toThrow('PII_KEY is required');
  });

  it('reads strings from the environment into typed values', () => {
    const config = validateEnvironment({ PORT: '8080', DB_MIGRATE: 'false', RATE_LIMIT_PER_MINUTE: '0' });
    expect(config).toMatchObject({ PORT: 8080, DB_MIGRATE: false, RATE_LIMIT_PER_MINUTE: 0 });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ PII_KEY: 'short' }, 'PII_KEY'],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ SIGNING_KEY: 'not a pem' }, 'SIGNING_KEY must be a PKCS#8 PEM'],
    [{ RUN_WORKERS: 'maybe' }, 'RUN_WORKERS'],
  ])('names the bad variable: %j', (env, name) => {
    expect(() => validateEnvironment(env)).toThrow(name);
  });

  it('stops a production start without its secrets, naming each', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(
      /SIGNING_KEY is required[\s\S]*DATABASE_URL is required[\s\S]*REDIS_URL is required[\s\S]*ADMIN_API_KEY is required[\s\S]*APPLICANT_JWT_SECRET is required[\s\S]*PII_KEY is required/,
    );
  });

  it('refuses weak or development secrets in production', () => {
    expect(() => validateEnvironment({ ...strong, NODE_ENV: 'production', PII_KEY: 'x'.repeat(31) })).toThrow('PII_KEY');
    expect(() => validateEnvironment({ ...strong, NODE_ENV: 'production', ADMIN_API_KEY: DEVELOPMENT_DEFAULTS.ADMIN_API_KEY })).toThrow(
      'ADMIN_API_KEY must not be the development default',
    );
    expect(validateEnvironment({ ...strong, NODE_ENV: 'production' }).NODE_ENV).toBe('production');
    expect(() => validateEnvironment({ ...strong, NODE_ENV: 'production', METRICS_TOKEN: '' })).toThrow('METRICS_TOKEN is required when NODE_ENV=production');
  });
});
