import { request } from 'node:http';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';
import { waitFor } from '../support/wait.js';
import { GaleraCluster, RedisCluster, ServiceProcess } from './clusters.js';

/**
 * `npm run test:cluster` (outside `npm test`: it takes minutes). Two API processes on two nodes of a
 * 3-node Galera cluster and a worker on the third, all on a 3-master Redis Cluster. A Galera node is
 * killed while both APIs take posts (the same externalIds through both); a Redis master is killed
 * mid-roster. Every acknowledged entry is on the surviving nodes exactly once, their year totals are the
 * sums of their entries, and every certification completes exactly once.
 */
const DATABASE = 'ce_ledger_cluster_test';
const ADMIN = 'cluster-admin-key-00000000000000000000';
const PORTS = { api1: 26201, api2: 26202, workerMetrics: 26203 };
const galera = new GaleraCluster(26000);
const redis = new RedisCluster(26100);
const common = {
  NODE_ENV: 'development',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  ADMIN_API_KEY: ADMIN,
  REDIS_CLUSTER_NODES: redis.nodes,
  QUEUE_PREFIX: 'cet',
  RATE_LIMIT_PER_MINUTE: '0',
  AUTH_FAILURES_PER_MINUTE: '5',
  SWEEP_INTERVAL_SECONDS: '2',
  SWEEP_STALE_SECONDS: '4',
  WORKER_LOCK_MS: '5000',
  REQUEST_TIMEOUT_MS: '5000',
  WORKER_CONCURRENCY: '8',
};
const api1 = new ServiceProcess('main', { ...common, PORT: String(PORTS.api1), DATABASE_URL: galera.url(1, DATABASE), RUN_WORKERS: 'false' });
const api2 = new ServiceProcess('main', { ...common, PORT: String(PORTS.api2), DATABASE_URL: galera.url(2, DATABASE), RUN_WORKERS: 'false', DB_MIGRATE: 'false' });
const worker = new ServiceProcess('worker', { ...common, DATABASE_URL: galera.url(3, DATABASE), DB_MIGRATE: 'false', METRICS_PORT: String(PORTS.workerMetrics) });

const base = (port: number) => `http://127.0.0.1:${port}`;
async function call(port: number, method: string, path: string, body?: unknown, key = ADMIN, headers: Record<string, string> = {}) {
  const response = await fetch(`${base(port)}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: await response.json().catch(() => null), headers: response.headers };
}

/** A GET's status, sent from a given loopback address. */
function statusFrom(localAddress: string, port: number, path: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, localAddress, headers: { authorization: `Bearer ${key}` } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

/** Certifications the worker stored (its counter counts a result once, when it is stored). */
async function certificationsStored(): Promise<number> {
  const text = await (await fetch(`${base(PORTS.workerMetrics)}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('ce_certifications_total{') && !line.includes('outcome="failed"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe('cluster: Galera and Redis Cluster', () => {
  let provider: string;
  let titleSystem: string;

  beforeAll(async () => {
    await Promise.all([galera.start(), redis.start()]);
    await api1.start(PORTS.api1); // migrates the database, through node 1, to all three
    await api2.start(PORTS.api2);
    await worker.start(PORTS.workerMetrics);
    provider = (await call(PORTS.api1, 'POST', '/api/v1/admin/providers', { code: 'cluster-provider', name: '集群测试培训机构' })).body.apiKey;
    titleSystem = (await call(PORTS.api2, 'POST', '/api/v1/admin/clients', { name: '集群测试评审系统', role: 'title_system' })).body.apiKey;
  }, 300_000);
  afterAll(async () => {
    await Promise.all([api1.stop(), api2.stop(), worker.stop()]);
    await Promise.all([galera.stop(), redis.stop()]);
  }, 120_000);

  it('shares sessions and the failed-authentication limit across processes through the Redis Cluster', async () => {
    const login = await fetch(`${base(PORTS.api1)}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idNumber: testIdNumber(900) }) });
    expect(login.status).toBe(201);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const session = await fetch(`${base(PORTS.api2)}/api/v1/session`, { headers: { cookie } });
    expect(session.status).toBe(200);
    const statuses: number[] = [];
    // From 127.0.0.2: the limit is per client address, and the later tests call from 127.0.0.1.
    for (let i = 0; i < 7; i++) statuses.push(await statusFrom('127.0.0.2', i % 2 ? PORTS.api2 : PORTS.api1, '/api/v1/rules', `wrong-key-${i}-0000000000000000`));
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('takes single posts through both APIs as providers send them: each created once, on every node, and how fast', async () => {
    // One statement a query on Galera (database/statements.ts): what single posts come to here, for the runbook.
    const SECONDS = 8;
    const latencies: number[] = [];
    const outcomes: Record<string, number> = {};
    let next = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const lane = async (port: number) => {
      while (Date.now() < deadline) {
        const i = next++;
        const person = i % 2000;
        const body = entry(`speed-${i}`, { idNumber: testIdNumber(person % 1000, `198${Math.floor(person / 1000)}0101`), personName: `速测${person}`, hours: 1, completedOn: `2024-0${(i % 9) + 1}-1${i % 10}` });
        const started = performance.now();
        const answer = await call(port, 'POST', '/api/v1/hours', body, provider);
        latencies.push(performance.now() - started);
        outcomes[answer.status] = (outcomes[answer.status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: 32 }, (_, n) => lane(n % 2 ? PORTS.api2 : PORTS.api1)));
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round(latencies[Math.floor(latencies.length * q)]);
    console.log(`[figures] Galera, single posts through two APIs, 32 connections: ${Math.round(latencies.length / SECONDS)}/s, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms; responses ${JSON.stringify(outcomes)}`);
    expect(outcomes).toEqual({ 201: latencies.length });
    for (const node of [1, 2, 3]) {
      await galera.waitSynced(node, 3);
      const [{ n, tenths }] = await galera.query<{ n: string; tenths: string }>(node, `SELECT COUNT(*) AS n, SUM(hours_tenths) AS tenths FROM ${DATABASE}.hour_entries WHERE external_id LIKE 'speed-%'`);
      expect({ node, n: Number(n), tenths: Number(tenths) }).toEqual({ node, n: latencies.length, tenths: 10 * latencies.length });
    }
  });

  it('answers a post sent through both APIs at once with the one entry every node holds, round after round of new persons', async () => {
    // Transactions of two nodes that collide abort one of them; its post must never be acknowledged
    // (multi-statement queries once were, with an entry no node kept: database/statements.ts).
    const poster = (await call(PORTS.api1, 'POST', '/api/v1/admin/providers', { code: 'cluster-twice', name: '集群双发培训机构' })).body.apiKey;
    const acknowledged = new Map<string, string>();
    const outcomes: Record<string, number> = {};
    for (let round = 1; round <= 10; round++) {
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < 120; i = next++) {
          const person = testIdNumber(i % 40, `1991${String(round).padStart(2, '0')}01`);
          const body = entry(`twice-${round}-${i}`, { idNumber: person, personName: `学员${round}-${i % 40}`, completedOn: `2024-0${(i % 9) + 1}-1${i % 10}` });
          const ports = i % 2 === 0 ? [PORTS.api1, PORTS.api2] : [i % 4 === 1 ? PORTS.api2 : PORTS.api1];
          const answers = await Promise.all(ports.map((port) => call(port, 'POST', '/api/v1/hours', body, poster)));
          for (const answer of answers) outcomes[answer.status] = (outcomes[answer.status] ?? 0) + 1;
          const ids = answers.filter((answer) => answer.status === 200 || answer.status === 201).map((answer) => answer.body.id);
          expect({ externalId: body.externalId, ids: [...new Set(ids)] }).toEqual({ externalId: body.externalId, ids: [ids[0]] });
          acknowledged.set(body.externalId, ids[0]);
        }
      };
      await Promise.all(Array.from({ length: 16 }, lane));
    }
    console.log(`[figures] Galera, the same posts through both APIs: ${acknowledged.size} entries, responses ${JSON.stringify(outcomes)}`);
    expect(outcomes).toEqual({ 200: 600, 201: 1200 });
    for (const node of [1, 2, 3]) {
      await galera.waitSynced(node, 3);
      const rows = await galera.query<{ external_id: string; id: string }>(node, `SELECT external_id, id FROM ${DATABASE}.hour_entries WHERE external_id LIKE 'twice-%'`);
      expect(new Map(rows.map((row) => [row.external_id, row.id]))).toEqual(acknowledged);
    }
  });

  it('keeps every acknowledged entry exactly once when a Galera node dies under load, with the same externalIds through both APIs', async () => {
    const storedBefore = await certificationsStored();
    const roster = Array.from({ length: 200 }, (_, i) => ({ idNumber: testIdNumber(600 + (i % 40)), city: 'lishui', applicationYear: 2024, track: 'promotion', titleLevel: 'intermediate', requiredYears: 5 }));
    const submitted = await call(PORTS.api1, 'POST', '/api/v1/certifications/batch', { requests: roster }, titleSystem);
    expect(submitted.status).toBe(202);

    const TOTAL = 600;
    const acknowledged = new Map<string, string>();
    const outcomes: Record<string, number> = {};
    let next = 0;
    let killed = false;
    const post = async (port: number, body: object) => {
      const response = await call(port, 'POST', '/api/v1/hours', body, provider).catch(() => ({ status: 0, body: null }));
      outcomes[response.status] = (outcomes[response.status] ?? 0) + 1;
      return response;
    };
    const lane = async () => {
      for (;;) {
        const i = next++;
        if (i >= TOTAL) return;
        if (i === Math.floor(TOTAL * 0.4) && !killed) {
          killed = true;
          await galera.kill(2);
        }
        const body = entry(`ce-${i}`, { hours: (i % 5) + 1, completedOn: `202${4 + (i % 2)}-0${(i % 9) + 1}-1${i % 10}`, personName: `学员${600 + (i % 40)}` }, 600 + (i % 40));
        // Every fifth entry goes through both APIs at once: still one entry.
        const ports = i % 5 === 0 ? [PORTS.api1, PORTS.api2] : [i % 2 ? PORTS.api2 : PORTS.api1];
        for (const response of await Promise.all(ports.map((port) => post(port, body)))) {
          if (response.status === 200 || response.status === 201) {
            const earlier = acknowledged.get(body.externalId);
            // Both answers name the one entry (a failure shows which externalId and both ids).
            if (earlier !== undefined) expect({ externalId: body.externalId, id: response.body.id }).toEqual({ externalId: body.externalId, id: earlier });
            acknowledged.set(body.externalId, response.body.id);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    console.log(`[figures] Galera: ${TOTAL} entries posted, ${acknowledged.size} acknowledged, responses ${JSON.stringify(outcomes)}`);
    expect(outcomes['500'] ?? 0).toBe(0);
    expect(acknowledged.size).toBeGreaterThan(TOTAL * 0.6);

    for (const node of [1, 3]) await galera.waitSynced(node, 2);
    const snapshots: string[] = [];
    for (const node of [1, 3]) {
      const rows = await galera.query<{ external_id: string; n: string; id: string }>(
        node,
        `SELECT external_id, COUNT(*) AS n, MIN(id) AS id FROM ${DATABASE}.hour_entries WHERE external_id LIKE 'ce-%' GROUP BY external_id`,
      );
      const stored = new Map(rows.map((row) => [row.external_id, row]));
      for (const [externalId, id] of acknowledged) expect({ node, externalId, n: stored.get(externalId)?.n, id: stored.get(externalId)?.id }).toEqual({ node, externalId, n: '1', id });
      expect(rows.filter((row) => row.n !== '1')).toEqual([]);
      const mismatches = await galera.query(
        node,
        `SELECT t.person_id, t.ledger_year FROM ${DATABASE}.year_totals t LEFT JOIN (
           SELECT person_id, ledger_year, SUM(IF(category = 'professional', hours_tenths, 0)) AS p, SUM(IF(category = 'general_public', hours_tenths, 0)) AS g,
             SUM(IF(category = 'industry_public', hours_tenths, 0)) AS i, COUNT(*) AS c FROM ${DATABASE}.hour_entries GROUP BY person_id, ledger_year) s
           ON s.person_id = t.person_id AND s.ledger_year = t.ledger_year
         WHERE s.person_id IS NULL OR s.p <> t.professional_tenths OR s.g <> t.general_public_tenths OR s.i <> t.industry_public_tenths OR s.c <> t.entry_count`,
      );
      expect({ node, mismatches }).toEqual({ node, mismatches: [] });
      snapshots.push(JSON.stringify(await galera.query(node, `SELECT id, hours_tenths, chain_hash FROM ${DATABASE}.hour_entries ORDER BY id`)));
    }
    expect(snapshots[0]).toBe(snapshots[1]);

    const batchId = submitted.body.batchId;
    const done = await waitFor('the roster certified', async () => {
      const status = await call(PORTS.api1, 'GET', `/api/v1/certification-batches/${batchId}`, undefined, titleSystem);
      return status.body && status.body.completed + status.body.failed === 200 ? status.body : undefined;
    }, 120_000, 500);
    expect(done).toMatchObject({ completed: 200, failed: 0 });
    expect((await certificationsStored()) - storedBefore).toBe(200);
  }, 300_000);

  it('completes every certification exactly once when the Redis master of the queues dies mid-roster', async () => {
    const storedBefore = await certificationsStored();
    const roster = Array.from({ length: 1000 }, (_, i) => ({ idNumber: testIdNumber(600 + (i % 40)), city: 'lishui', applicationYear: 2024, track: 'promotion', titleLevel: 'intermediate', requiredYears: 5 }));
    const submitted = await call(PORTS.api1, 'POST', '/api/v1/certifications/batch', { requests: roster }, titleSystem);
    expect(submitted.status).toBe(202);
    const master = await redis.masterOf('{cet}');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await redis.kill(master);
    const survivors = redis.ports.filter((port) => port !== master);
    await waitFor('a replica promoted', async () => (await redis.cli(survivors[0], 'cluster', 'info')).includes('cluster_state:ok') && (await redis.masterOf('{cet}', survivors)) !== master, 30_000, 250);

    const done = await waitFor('the roster certified after the failover', async () => {
      const status = await call(PORTS.api1, 'GET', `/api/v1/certification-batches/${submitted.body.batchId}`, undefined, titleSystem).catch(() => null);
      return status?.body && status.body.completed + status.body.failed === 1000 ? status.body : undefined;
    }, 180_000, 500);
    expect(done).toMatchObject({ completed: 1000, failed: 0 });
    const stored = (await certificationsStored()) - storedBefore;
    console.log(`[figures] Redis Cluster: master ${master} killed mid-roster; 1000 certifications, ${stored} results stored`);
    expect(stored).toBe(1000);
  }, 300_000);
});
