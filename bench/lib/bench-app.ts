import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { PiiService } from '../../src/common/pii.service.js';
import { projectRoot } from '../../src/common/project-root.js';
import type { AppConfig } from '../../src/config/environment.js';

export const BENCH_ADMIN_KEY = 'bench-admin-key-00000000000000000000000';

export interface BenchApp {
  url: string;
  /** Every API process's URL (BENCH_API_PROCESSES, 1 by default); url is the first. */
  urls: string[];
  admin(path: string, body: object): Promise<any>;
  /** Runs SQL on the service's database, from the bench process. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The HMAC the service keys a person by (its PII_KEY is the bench's). */
  personKey(idNumber: string): Buffer;
  /** The API processes' pids (for CPU accounting). */
  pids: number[];
  /** The service process's peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): number;
  close(): Promise<void>;
}

const mysqlBase = () => process.env.BENCH_MYSQL_URL ?? 'mysql://root:@127.0.0.1:3306';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}

async function untilReady(url: string, exited: Promise<unknown>): Promise<void> {
  let stopped = false;
  void exited.then(() => (stopped = true));
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
    if (stopped) throw new Error('The service exited before it was ready; see its output above.');
    const ready = await fetch(`${url}/health/ready`).then((response) => response.ok, () => false);
    if (ready) return;
  }
  throw new Error(`The service at ${url} was not ready within 60 s.`);
}

/**
 * The service as it is deployed (`node dist/src/main.js`, workers in process), in a process of its
 * own so that the load generator does not share its event loop, against a database of its own that
 * close() drops (its name says test, like every database the project creates and drops). The bench
 * process gets the same environment, for the raw baselines.
 */
export async function startBenchApp(name: string): Promise<BenchApp> {
  const database = `ce_ledger_test_bench_${name}_${process.pid}`;
  const environment = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: `${mysqlBase()}/${database}`,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    QUEUE_PREFIX: `ce_bench_${process.pid}`,
    ADMIN_API_KEY: BENCH_ADMIN_KEY,
    APPLICANT_JWT_SECRET: 'bench-applicant-jwt-secret-0000000000000',
    PII_KEY: 'bench-pii-key-00000000000000000000000000',
    RATE_LIMIT_PER_MINUTE: '0',
  };
  Object.assign(process.env, environment);
  // BENCH_SERVICE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the service itself.
  const nodeArgs = process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const start = async (extra: Record<string, string> = {}) => {
    const port = await freePort();
    const process_ = spawn(process.execPath, [...nodeArgs, join(projectRoot(), 'dist', 'src', 'main.js')], {
      // NODE_OPTIONS as the Dockerfile sets it for the deployed service.
      env: { ...process.env, ...extra, PORT: String(port), HOST: '127.0.0.1', NODE_OPTIONS: '--max-semi-space-size=32' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return { process: process_, exited: once(process_, 'exit'), url: `http://127.0.0.1:${port}` };
  };
  // BENCH_API_PROCESSES > 1: more API processes on the same database and Redis, as a deployment
  // scales out; the first migrates, the others start once it is ready.
  const services = [await start()];
  const processes = Number(process.env.BENCH_API_PROCESSES ?? 1);
  const { process: service, exited, url } = services[0];
  const base = new URL(mysqlBase());
  const connect = () =>
    createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
  const dropDatabase = async () => {
    const connection = await connect();
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.end();
  };
  try {
    await untilReady(url, exited);
    while (services.length < processes) services.push(await start({ DB_MIGRATE: 'false' }));
    for (const more of services.slice(1)) await untilReady(more.url, more.exited);
  } catch (error) {
    for (const { process: running } of services) running.kill('SIGKILL');
    await dropDatabase();
    throw error;
  }
  const pii = new PiiService({ get: () => environment.PII_KEY } as unknown as ConfigService<AppConfig, true>);
  return {
    url,
    urls: services.map((s) => s.url),
    pids: services.map((s) => s.process.pid!),
    admin: (path, body) => postJson(`${url}${path}`, BENCH_ADMIN_KEY, body),
    async query(sql, params = []) {
      const connection = await connect();
      try {
        await connection.query(`USE \`${database}\``);
        const [rows] = await connection.query(sql, params);
        return rows as never[];
      } finally {
        await connection.end();
      }
    },
    personKey: (idNumber) => pii.lookupHash(idNumber),
    peakRssMb: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${service.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    async close() {
      // A load generator stops at its deadline with requests in flight: let them finish, so that
      // the shutdown log shows nothing but the shutdown.
      await sleep(500);
      for (const { process: running } of services) running.kill('SIGTERM');
      await Promise.all(services.map((s) => s.exited));
      // Every queue's keys (whichever modules made them) start with the bench's own prefix.
      const redis = new Redis(environment.REDIS_URL);
      for await (const keys of redis.scanStream({ match: `${environment.QUEUE_PREFIX}:*`, count: 1000 })) if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
      await redis.quit();
      await dropDatabase();
    },
  };
}

export async function postJson(url: string, key: string, body: object): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}
