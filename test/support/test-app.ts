import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createConnection } from 'mysql2/promise';
import { Writable } from 'node:stream';
import supertest from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap.js';
import { QueueRegistry } from '../../src/queue/queue.module.js';

export const TEST_MYSQL = process.env.TEST_MYSQL_URL ?? 'mysql://root:@127.0.0.1:3306';
export const TEST_REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const ADMIN_KEY = 'test-admin-key-000000000000000000000000';

/** Refuses any database whose name does not say it is a test database: tests drop what they create. */
export function assertTestDatabase(name: string): void {
  if (!/test/i.test(name)) throw new Error(`Refusing to use database "${name}": a test database name must contain "test"`);
}

/** Collects the app's JSON log lines, so that tests can search them. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof supertest>;
  dataSource: DataSource;
  logs: LogCapture;
  databaseName: string;
  close(): Promise<void>;
}

let counter = 0;

/**
 * Starts the application through the same createApp() as main.ts, on a fresh database named
 * ce_ledger_test_<suite>_<pid>_<n> that close() drops again (or on `reuseDatabase`, as a restart would).
 */
export async function startTestApp(suite: string, env: Record<string, string> = {}, reuseDatabase?: string): Promise<TestApp> {
  const databaseName = reuseDatabase ?? `ce_ledger_test_${suite}_${process.pid}_${++counter}`;
  assertTestDatabase(databaseName);
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: `${TEST_MYSQL}/${databaseName}`,
    REDIS_URL: TEST_REDIS,
    QUEUE_PREFIX: `ce_test_${suite}_${process.pid}`,
    ADMIN_API_KEY: ADMIN_KEY,
    APPLICANT_JWT_SECRET: 'test-applicant-jwt-secret-00000000000000',
    PII_KEY: 'test-pii-key-0000000000000000000000000000',
    RATE_LIMIT_PER_MINUTE: '0',
    DB_MIGRATE: 'true',
    RUN_WORKERS: 'true',
    WORKER_CONCURRENCY: '8',
    SWEEP_INTERVAL_SECONDS: '30',
    SWEEP_STALE_SECONDS: '60',
    WORKER_LOCK_MS: '30000',
    WEBHOOK_BACKOFF_MS: '2000',
    ...env,
  });
  const logs = new LogCapture();
  const { app } = await createApp({ logDestination: logs });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const dataSource = app.get(DataSource);
  return {
    app,
    http: () => supertest(app.getHttpServer()),
    dataSource,
    logs,
    databaseName,
    async close() {
      // Leave nothing behind in the shared Redis either: this suite's queues go with it.
      await Promise.all(app.get(QueueRegistry).all().map((queue) => queue.obliterate({ force: true }).catch(() => undefined)));
      await app.close();
      await dropDatabase(databaseName);
    },
  };
}

export async function dropDatabase(name: string): Promise<void> {
  assertTestDatabase(name);
  const url = new URL(TEST_MYSQL);
  const connection = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

/** Creates a provider through the admin API and returns its API key. */
export async function createProvider(test: TestApp, code: string, name = `Provider ${code}`): Promise<{ id: string; apiKey: string }> {
  const response = await test.http().post('/api/v1/admin/providers').set('authorization', `Bearer ${ADMIN_KEY}`).send({ code, name }).expect(201);
  return response.body;
}

export async function createTitleSystem(test: TestApp, name = 'Title system'): Promise<string> {
  return (await createTitleSystemClient(test, name)).apiKey;
}

/** A title-system client with its API key and webhook secret (both shown once). */
export async function createTitleSystemClient(test: TestApp, name = 'Title system'): Promise<{ id: string; apiKey: string; webhookSecret: string }> {
  const response = await test.http().post('/api/v1/admin/clients').set('authorization', `Bearer ${ADMIN_KEY}`).send({ name, role: 'title_system' }).expect(201);
  return response.body;
}

export async function applicantToken(test: TestApp, idNumber: string, ttlSeconds?: number): Promise<string> {
  const response = await test.http().post('/api/v1/admin/applicant-tokens').set('authorization', `Bearer ${ADMIN_KEY}`).send({ idNumber, ttlSeconds }).expect(201);
  return response.body.token;
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export async function countRows(test: TestApp, table: 'hour_entries' | 'persons' | 'year_totals' | 'providers' | 'api_clients'): Promise<number> {
  const [row] = await test.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row.n);
}
