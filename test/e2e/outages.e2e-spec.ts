import { bearer, createProvider, createTitleSystem, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';
import { freeMariaDbPort, TestMariaDb } from '../support/mariadb-server.js';
import { waitFor } from '../support/wait.js';

const TIMEOUT_MS = 1500;

/**
 * MariaDB stopped or frozen under the service: every request gets 503 with Retry-After (never a 500),
 * within REQUEST_TIMEOUT_MS (never a hang), and the service recovers by itself. Runs on a MariaDB of
 * its own (a temporary data directory on a spare loopback port); prints its figures as `[figures]`.
 */
describe('database outages', () => {
  const mariadb = new TestMariaDb(freeMariaDbPort(3));
  let test: TestApp;
  let provider: string;
  let titleSystem: string;
  const person = testIdNumber(41);

  beforeAll(async () => {
    await mariadb.install();
    await mariadb.start();
    test = await startTestApp('outage', { DATABASE_URL: mariadb.url('ce_ledger_test_outage'), REQUEST_TIMEOUT_MS: String(TIMEOUT_MS), LOG_LEVEL: 'trace' });
    provider = (await createProvider(test, 'outage')).apiKey;
    titleSystem = await createTitleSystem(test);
    await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('o-1', {}, 41)).expect(201);
  }, 120_000);
  afterAll(async () => {
    mariadb.thaw();
    await test?.app.close();
    await mariadb.remove();
  });

  /** A mix of what clients send: reads, writes, eligibility, with keys known and not yet cached. */
  const burst = async (count: number) => {
    const started = Date.now();
    const send = (i: number) => {
      switch (i % 4) {
        case 0:
          return test.http().get('/api/v1/hours').set(bearer(provider));
        case 1:
          return test.http().post('/api/v1/hours').set(bearer(provider)).send(entry(`o-burst-${i}`, {}, 41));
        case 2:
          return test.http().post('/api/v1/ledger-queries').set(bearer(titleSystem)).send({ idNumber: person });
        default:
          return test.http().get('/api/v1/hours').set(bearer(`cel_unknown-key-${i}`));
      }
    };
    const responses = await Promise.all(Array.from({ length: count }, async (_, i) => {
      const at = Date.now();
      const response = await send(i);
      return { status: response.status, retryAfter: response.headers['retry-after'], code: response.body?.code, ms: Date.now() - at };
    }));
    return { responses, totalMs: Date.now() - started };
  };

  it('stopped: 503 with Retry-After, fast; ready is 503; everything works again once it is back', async () => {
    await mariadb.kill();
    const { responses } = await burst(40);
    const statuses = responses.map((r) => r.status);
    const fiveHundreds = statuses.filter((s) => s === 500).length;
    process.stdout.write(`[figures] MariaDB stopped: ${responses.length} requests → ${statuses.filter((s) => s === 503).length}×503, ${fiveHundreds}×500, slowest ${Math.max(...responses.map((r) => r.ms))} ms\n`);
    expect(fiveHundreds).toBe(0);
    for (const response of responses.filter((r) => r.status !== 401)) {
      expect(response).toMatchObject({ status: 503, retryAfter: '5' });
    }
    await test.http().get('/health/ready').expect(503);

    await mariadb.start();
    await waitFor('the service to recover', async () => (await test.http().get('/api/v1/hours').set(bearer(provider))).status === 200, 30_000, 250);
    await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('o-after-stop', {}, 41)).expect(201);
    await test.http().get('/health/ready').expect(200);
  }, 60_000);

  it('frozen: 503 within REQUEST_TIMEOUT_MS instead of a hang; it recovers when thawed', async () => {
    mariadb.freeze();
    try {
      const { responses } = await burst(20);
      const slowest = Math.max(...responses.map((r) => r.ms));
      process.stdout.write(`[figures] MariaDB frozen (REQUEST_TIMEOUT_MS=${TIMEOUT_MS}): ${responses.length} requests → ${responses.filter((r) => r.status === 503).length}×503, ${responses.filter((r) => r.status === 500).length}×500, slowest ${slowest} ms\n`);
      expect(responses.filter((r) => r.status === 500)).toEqual([]);
      for (const response of responses.filter((r) => r.status !== 401)) expect(response).toMatchObject({ status: 503, retryAfter: '5' });
      expect(slowest).toBeLessThan(TIMEOUT_MS + 1000);
      const ready = await test.http().get('/health/ready');
      expect(ready.status).toBe(503);
    } finally {
      mariadb.thaw();
    }
    await waitFor('the service to recover', async () => (await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('o-after-freeze', {}, 41))).status === 201, 30_000, 250);
  }, 60_000);

  it('a failed SQL statement is logged by its shape, never with its parameters', async () => {
    const secretName = '隐私姓名甲';
    const id = testIdNumber(42);
    // Behind the service's back, a column the INSERT names goes away: the statement fails with all its parameters bound.
    await test.dataSource.query('ALTER TABLE hour_entries RENAME COLUMN course_title TO course_title_hidden');
    try {
      const response = await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('o-sql', { idNumber: id, personName: secretName, courseTitle: '机密课程名称' }, 42));
      expect(response.status).toBe(500);
      expect(response.body.code).toBe('INTERNAL');
    } finally {
      await test.dataSource.query('ALTER TABLE hour_entries RENAME COLUMN course_title_hidden TO course_title');
    }
    const logged = test.logs.text;
    expect(logged).toContain('Unhandled error');
    expect(logged).toMatch(/INSERT INTO hour_entries \(id, source, provider_id/);
    for (const secret of [id, `${id.slice(0, 6)}********${id.slice(14)}`, secretName, '机密课程名称']) expect(logged).not.toContain(secret);
  });
});
