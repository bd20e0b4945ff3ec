import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createConnection } from 'mysql2/promise';
import { createApp } from '../../src/bootstrap.js';
import { Queues } from '../../src/queue/queue.module.js';

export const BENCH_ADMIN_KEY = 'bench-admin-key-00000000000000000000000';

export interface BenchApp {
  app: NestFastifyApplication;
  url: string;
  admin(path: string, body: object): Promise<any>;
  close(): Promise<void>;
}

const mysqlBase = () => process.env.BENCH_MYSQL_URL ?? 'mysql://root:@127.0.0.1:3306';

/**
 * The service as main.ts builds it, on loopback, against a database of its own that close() drops
 * (its name says test, like every database the project creates and drops).
 */
export async function startBenchApp(name: string): Promise<BenchApp> {
  const database = `ce_ledger_test_bench_${name}_${process.pid}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: `${mysqlBase()}/${database}`,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    QUEUE_PREFIX: `ce_bench_${process.pid}`,
    ADMIN_API_KEY: BENCH_ADMIN_KEY,
    APPLICANT_JWT_SECRET: 'bench-applicant-jwt-secret-0000000000000',
    PII_KEY: 'bench-pii-key-00000000000000000000000000',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const { app } = await createApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    app,
    url,
    async admin(path, body) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    async close() {
      await Promise.all(app.get(Queues).all().map((queue) => queue.obliterate({ force: true }).catch(() => undefined)));
      await app.close();
      const base = new URL(mysqlBase());
      const connection = await createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
      await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await connection.end();
    },
  };
}

export async function postJson(url: string, key: string, body: object): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}
