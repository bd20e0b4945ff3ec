import { createLocalJWKSet, jwtVerify } from 'jose';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { CertificationProcessor } from '../../src/certification/certification.processor.js';
import { CertificationRepository } from '../../src/certification/certification.repository.js';
import { CertificationQueues } from '../../src/certification/certification.queues.js';
import { bearer, createProvider, createTitleSystemClient, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';
import { freeRedisPort, TestRedis } from '../support/redis-server.js';
import { waitFor } from '../support/wait.js';

const signingKey = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const request = (person: number) => ({ idNumber: testIdNumber(person), city: 'wenzhou', applicationYear: 2024, track: 'promotion', titleLevel: 'junior', requiredYears: 1 });

/** `npm run start:worker` as a child process, against the current test database and Redis (process.env). */
const startWorker = (env: Record<string, string>): ChildProcess =>
  spawn(process.execPath, [join(process.cwd(), 'dist', 'src', 'worker.js')], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: 'ignore' });

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Counts of the roster's rows by status, straight from MySQL (the system of record). */
async function statusCounts(test: TestApp, batchId: string): Promise<Record<string, number>> {
  const rows: { status: string; n: string }[] = await test.dataSource.query('SELECT status, COUNT(*) AS n FROM certifications WHERE batch_id = ? GROUP BY status', [batchId]);
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

describe('certification when things go wrong', () => {
  const redis = new TestRedis(freeRedisPort(1));
  let test: TestApp;
  let title: { apiKey: string };
  const firstKey = signingKey();

  /** An API process without workers on the test's own Redis, so that the tests decide who works. */
  const startApi = async (env: Record<string, string> = {}) => {
    test = await startTestApp('resilience', { REDIS_URL: redis.url, RUN_WORKERS: 'false', SIGNING_KEY: firstKey, ...env });
    title = await createTitleSystemClient(test);
    const provider = (await createProvider(test, `p-${Date.now()}`)).apiKey;
    await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('r-1', { hours: 90, category: 'professional' }, 1)).expect(201);
  };
  const submitRoster = async (size: number, callbackUrl?: string) => {
    const requests = Array.from({ length: size }, (_, i) => ({ ...request(i % 5), ...(callbackUrl ? { callbackUrl } : {}) }));
    const response = await test.http().post('/api/v1/certifications/batch').set(bearer(title.apiKey)).send({ requests }).expect(202);
    return response.body as { batchId: string; ids: string[] };
  };

  beforeAll(() => redis.start());
  afterAll(() => redis.stop());
  afterEach(async () => {
    await test?.close();
  });

  it('a handler run twice (even at once) leaves one result', async () => {
    await startApi();
    const { id } = (await test.http().post('/api/v1/certifications').set(bearer(title.apiKey)).send(request(1)).expect(202)).body;
    const processor = test.app.get(CertificationProcessor);
    const webhook = { attempts: 1, backoffMs: 100 };
    const outcomes = await Promise.all([processor.process(id, webhook), processor.process(id, webhook)]);
    expect(outcomes.sort()).toEqual(['already_done', 'completed']);
    const [first] = await test.dataSource.query('SELECT certificate, completed_at AS completedAt FROM certifications WHERE id = ?', [id]);
    expect(await processor.process(id, webhook)).toBe('already_done');
    const [second] = await test.dataSource.query('SELECT certificate, completed_at AS completedAt FROM certifications WHERE id = ?', [id]);
    expect(second).toEqual(first);
  });

  it('storing results together: each is stored only if its certification is still open, and each run learns whether its own was', async () => {
    await startApi();
    const roster = await submitRoster(3);
    const certifications = test.app.get(CertificationRepository);
    const result = (id: string, certificate: string) => ({
      id,
      decision: '{}',
      decisionOutcome: 'eligible',
      ruleSetId: 'wenzhou-2019',
      ledgerDigest: Buffer.alloc(32),
      certificate,
      completedAt: new Date(),
      hasCallback: true,
    });
    const [a, b, c] = roster.ids;
    expect(await certifications.complete([result(a, 'first run of a')])).toEqual([true]);
    // Another run of a (already completed), a run of b, and two runs of c in the same statement.
    expect(await certifications.complete([result(a, 'second run of a'), result(b, 'b'), result(c, 'c once'), result(c, 'c twice')])).toEqual([false, true, true, false]);
    const stored: { id: string; certificate: string }[] = await test.dataSource.query('SELECT id, certificate FROM certifications WHERE batch_id = ? ORDER BY id', [roster.batchId]);
    expect(Object.fromEntries(stored.map((row) => [row.id, row.certificate]))).toEqual({ [a]: 'first run of a', [b]: 'b', [c]: 'c once' });
    // Each stored result wrote its webhook to the outbox once, with its own delivery id.
    const owed: { id: string; deliveryId: string }[] = await test.dataSource.query(
      'SELECT certification_id AS id, delivery_id AS deliveryId FROM webhook_outbox WHERE certification_id IN (?) ORDER BY certification_id',
      [[a, b, c]],
    );
    expect(owed.map((row) => row.id)).toEqual([a, b, c].sort());
    expect(new Set(owed.map((row) => row.deliveryId)).size).toBe(3);
  });

  it('while Redis is down a submission fails fast with 503 and writes nothing; it works again, without a restart, when Redis is back', async () => {
    await startApi();
    await redis.stop();
    const before = await test.dataSource.query('SELECT COUNT(*) AS n FROM certifications');
    const started = Date.now();
    const response = await test.http().post('/api/v1/certifications').set(bearer(title.apiKey)).send(request(1)).expect(503);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(response.body.code).toBe('QUEUE.UNAVAILABLE');
    expect(response.headers['retry-after']).toBe('5');
    expect(await test.dataSource.query('SELECT COUNT(*) AS n FROM certifications')).toEqual(before);
    const ready = await test.http().get('/health/ready').expect(503);
    expect(ready.body.details.redis.status).toBe('down');

    await redis.start();
    await waitFor('the API to reconnect', async () => (await test.http().post('/api/v1/certifications').set(bearer(title.apiKey)).send(request(1))).status === 202, 15_000, 250);
    await test.http().get('/health/ready').expect(200);
  });

  it('the sweeper re-enqueues certifications whose jobs Redis lost', async () => {
    await startApi();
    const roster = await submitRoster(250); // three jobs, rebuilt by the sweeper from the roster's ids
    await test.app.get(CertificationQueues).certifications.obliterate({ force: true }); // Redis forgets every job
    const child = startWorker({ SWEEP_INTERVAL_SECONDS: '1', SWEEP_STALE_SECONDS: '1' });
    try {
      await waitFor('the swept roster', async () => (await statusCounts(test, roster.batchId)).completed === 250, 30_000, 200);
    } finally {
      await stopWorker(child);
    }
  });

  it('Redis restarted mid-roster with callbacks (every job lost): nothing is lost, every certification completes once, every webhook arrives', async () => {
    // The receiver counts deliveries by their delivery id, as a receiver that dedupes would.
    const deliveries = new Map<string, number>();
    const receiver: Server = createServer((req, res) => {
      req.resume().on('end', () => {
        const id = String(req.headers['x-ce-delivery']);
        deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    try {
      await startApi({ RUN_WORKERS: 'true', WORKER_CONCURRENCY: '2', SWEEP_INTERVAL_SECONDS: '1', SWEEP_STALE_SECONDS: '2', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_BACKOFF_MS: '200' });
      const roster = await submitRoster(300, callbackUrl);
      await waitFor('some completed', async () => (await statusCounts(test, roster.batchId)).completed >= 10, 30_000, 20);
      await redis.stop();
      await redis.start();
      const counts = await waitFor('the roster', async () => {
        const now = await statusCounts(test, roster.batchId);
        return now.completed === 300 ? now : undefined;
      }, 60_000, 250);
      expect(counts).toEqual({ completed: 300 });
      const [{ n }] = await test.dataSource.query("SELECT COUNT(*) AS n FROM certifications WHERE batch_id = ? AND certificate IS NOT NULL AND completed_at IS NOT NULL", [roster.batchId]);
      expect(Number(n)).toBe(300);
      // The outbox held every webhook through the loss: each delivered, none lost.
      await waitFor('every webhook', async () => deliveries.size === 300, 60_000, 250);
      const outbox: { status: string; n: string }[] = await test.dataSource.query(
        'SELECT o.status, COUNT(*) AS n FROM webhook_outbox o JOIN certifications c ON c.id = o.certification_id WHERE c.batch_id = ? GROUP BY o.status',
        [roster.batchId],
      );
      expect(outbox.map((row) => [row.status, Number(row.n)])).toEqual([['delivered', 300]]);
      const ids: { id: string }[] = await test.dataSource.query('SELECT o.delivery_id AS id FROM webhook_outbox o JOIN certifications c ON c.id = o.certification_id WHERE c.batch_id = ?', [roster.batchId]);
      expect(new Set(ids.map((row) => row.id))).toEqual(new Set(deliveries.keys()));
      const swept = test.logs.lines.filter((line) => line.includes('webhook job(s) that Redis lost')).map((line) => Number(/re-added (\d+)/.exec(line)?.[1] ?? 0));
      process.stdout.write(`[figures] webhooks re-enqueued by the sweeper after the Redis loss: ${swept.reduce((a, b) => a + b, 0)}; delivered: ${deliveries.size}/300; repeats: ${[...deliveries.values()].filter((n) => n > 1).length}\n`);
    } finally {
      receiver.close();
    }
  }, 120_000);

  it('a worker process killed with SIGKILL mid-roster: after a restart every certification completes exactly once', async () => {
    await startApi();
    const roster = await submitRoster(400);
    // One job (100 certifications) at a time, so that the kill lands with most of the roster still open.
    const worker = () => startWorker({ WORKER_LOCK_MS: '2000', WORKER_CONCURRENCY: '1', SWEEP_INTERVAL_SECONDS: '1', SWEEP_STALE_SECONDS: '5' });

    const first = worker();
    await waitFor('some completed', async () => (await statusCounts(test, roster.batchId)).completed >= 20, 30_000, 20);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const afterKill = await statusCounts(test, roster.batchId);
    expect(afterKill.completed ?? 0).toBeLessThan(400);

    const second = worker();
    try {
      await waitFor('the roster after the restart', async () => (await statusCounts(test, roster.batchId)).completed === 400, 60_000, 250);
    } finally {
      await stopWorker(second);
    }
    expect(await statusCounts(test, roster.batchId)).toEqual({ completed: 400 });
  }, 90_000);

  it('SIGTERM: a worker stops fetching, finishes what it holds and exits 0', async () => {
    await startApi();
    const roster = await submitRoster(200);
    const child = startWorker({ WORKER_CONCURRENCY: '4' });
    await waitFor('some completed', async () => (await statusCounts(test, roster.batchId)).completed >= 5, 30_000, 20);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const counts = await statusCounts(test, roster.batchId);
    expect(counts.running ?? 0).toBe(0); // nothing left half-done
  }, 60_000);

  it('a rotated signing key stays in the JWKS, so older certificates still verify', async () => {
    await startApi();
    const processor = test.app.get(CertificationProcessor);
    const { id } = (await test.http().post('/api/v1/certifications').set(bearer(title.apiKey)).send(request(1)).expect(202)).body;
    await processor.process(id, { attempts: 1, backoffMs: 100 });
    const old = (await test.http().get(`/api/v1/certifications/${id}`).set(bearer(title.apiKey)).expect(200)).body.certificate;
    const databaseName = test.databaseName;
    await test.app.close(); // keep the database: the same deployment restarts with a new key

    test = await startTestApp('resilience', { REDIS_URL: redis.url, RUN_WORKERS: 'false', SIGNING_KEY: signingKey() }, databaseName);
    const jwks = (await test.http().get('/.well-known/jwks.json').expect(200)).body;
    expect(jwks.keys).toHaveLength(2);
    await expect(jwtVerify(old, createLocalJWKSet(jwks))).resolves.toBeDefined();
  });
});
