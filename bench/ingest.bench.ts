import { createPool, type ResultSetHeader } from 'mysql2/promise';
import { contentHash } from '../src/common/content-hash.js';
import { newId } from '../src/common/ids.js';
import { type BenchApp, postJson, startBenchApp } from './lib/bench-app.js';
import { localPids, meterCpu } from './lib/cpu.js';
import { load, type LoadResult } from './lib/http-load.js';
import { printTable, round, type Row, writeResult, runIfMain } from './lib/report.js';
import { benchIdNumber } from './lib/seed.js';

/**
 * Ingest: N entries through POST /api/v1/hours/batch (BATCH a request, CLIENTS concurrent clients)
 * against the fastest raw way of storing the same rows (mysql2 multi-row INSERTs of BATCH rows into a
 * copy of hour_entries, same concurrency, same machine, same run); and single-entry POST /api/v1/hours
 * under autocannon. `npm run bench:ingest`; sizes: BENCH_ENTRIES (100000), BENCH_BATCH (5000),
 * BENCH_CLIENTS (2), BENCH_ROUNDS (3), BENCH_SECONDS (10), BENCH_CONNECTIONS (50), BENCH_PERSONS (20000),
 * BENCH_API_PROCESSES (1), BENCH_WORKLOADS (batch,single), BENCH_SINGLE_ROUNDS (1).
 */

const CATEGORIES = ['professional', 'general_public', 'industry_public'] as const;

/**
 * Entries spread over this many persons (BENCH_PERSONS): a batch of 5,000 holds each of 5,000 persons
 * once, and the batches the clients post at the same time hold different persons, as two providers'
 * rosters mostly do. BENCH_PERSONS=5000 gives every batch all the persons, so that concurrent batches
 * wait for each other's person locks from their first statement (the shape measured until 2026-11-29).
 */
const BENCH_PERSONS = Number(process.env.BENCH_PERSONS ?? 20_000);

/** A person's entries fall on different days of one year: the n-th entry of person p, on day n of year 2016 + p % 10. */
function completedOn(i: number, persons: number): string {
  const day = new Date(Date.UTC(2016 + (i % 10), 0, 1 + (Math.floor(i / persons) % 365)));
  return day.toISOString().slice(0, 10);
}

export function entries(count: number, prefix: string, persons = BENCH_PERSONS) {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `${prefix}-${i}`,
    idNumber: benchIdNumber(i % persons),
    personName: '测试学员',
    category: CATEGORIES[i % 3],
    hours: 1.5,
    completedOn: completedOn(i, persons),
    courseTitle: '继续教育课程',
  }));
}

async function inParallel(clients: number, batches: number, run: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < batches) await run(next++);
  }));
}

/** Starts metering CPU when a workload's clock starts; its stop gives ms by process group. */
export type StartMeter = () => () => Record<string, number>;
const unmetered: StartMeter = () => () => ({});

export async function measureApiIngest(bench: BenchApp, providerKey: string, total: number, batch: number, clients: number, startMeter = unmetered) {
  const all = entries(total, `api-${Date.now()}`);
  const stopMeter = startMeter();
  const started = process.hrtime.bigint();
  await inParallel(clients, Math.ceil(total / batch), async (index) => {
    await postJson(`${bench.urls[index % bench.urls.length]}/api/v1/hours/batch`, providerKey, { entries: all.slice(index * batch, (index + 1) * batch) });
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { entries: total, seconds: round(seconds, 2), entriesPerSecond: round(total / seconds), cpuMs: stopMeter() };
}

/**
 * The raw baseline: the same rows inserted straight into a copy of the table: one provider, the
 * same persons (ids made as the service makes them), hashes of the same size. The copy is kept
 * between rounds, so that it grows as hour_entries does (the bench database goes with it).
 */
export async function measureRawIngest(databaseUrl: string, total: number, batch: number, clients: number, startMeter = unmetered) {
  const pool = createPool({ uri: databaseUrl, connectionLimit: clients });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_hour_entries LIKE hour_entries');
    const providerId = newId();
    const personIds = Array.from({ length: BENCH_PERSONS }, () => newId());
    const rows = entries(total, `raw-${Date.now()}`).map((e, i) => [
      newId(), providerId, e.externalId, personIds[i % BENCH_PERSONS], e.category, 15, e.completedOn, Number(e.completedOn.slice(0, 4)),
      e.personName, e.courseTitle, contentHash({ externalId: e.externalId }), null, null, new Date(),
      // The chain columns, as the service writes them: each person's next link, a SHA-256 each.
      Math.floor(i / BENCH_PERSONS) + 1, contentHash({ chain: i }),
    ]);
    const stopMeter = startMeter();
    const started = process.hrtime.bigint();
    await inParallel(clients, Math.ceil(total / batch), async (index) => {
      await pool.query(
        `INSERT INTO bench_hour_entries (id, provider_id, external_id, person_id, category, hours_tenths, completed_on, ledger_year,
           person_name, course_title, content_hash, reverses_entry_id, reversal_reason, created_at, chain_seq, chain_hash) VALUES ?`,
        [rows.slice(index * batch, (index + 1) * batch)],
      );
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { entries: total, seconds: round(seconds, 2), entriesPerSecond: round(total / seconds), cpuMs: stopMeter() };
  } finally {
    await pool.end();
  }
}

/**
 * Single-entry posts as providers' systems send them, one completion at a time, over many persons;
 * the connections split between the providers' keys and, with several API processes, between them
 * (percentiles: the highest of theirs).
 */
export async function measureSinglePosts(
  bench: BenchApp,
  providerKeys: string[],
  seconds: number,
  connections: number,
  startMeter = unmetered,
): Promise<LoadResult & { cpuMs: Record<string, number> }> {
  let sequence = 0;
  const run = Date.now();
  // The load generator shares the machine's two cores with the service: what it can make before the
  // clock starts, it makes then (ID numbers and dates), so that a request costs it little more than its write.
  const idNumbers = Array.from({ length: BENCH_PERSONS }, (_, p) => benchIdNumber(p));
  const days = new Map<number, string>();
  const dayOf = (n: number) => {
    const key = (n % 10) * 1000 + (Math.floor(n / BENCH_PERSONS) % 365);
    return days.get(key) ?? days.set(key, completedOn(n, BENCH_PERSONS)).get(key)!;
  };
  const [template] = entries(1, 'template');
  const stopMeter = startMeter();
  const targets = bench.urls.flatMap((url) => providerKeys.map((key) => ({ url, key })));
  const results = await Promise.all(
    targets.map(({ url, key }) =>
      load({
        url: `${url}/api/v1/hours`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        requests: [
          {
            setupRequest: (request) => {
              const n = ++sequence;
              return { ...request, body: JSON.stringify({ ...template, externalId: `single-${run}-${n}`, idNumber: idNumbers[n % BENCH_PERSONS], completedOn: dayOf(n) }) };
            },
          },
        ],
        connections: Math.max(1, Math.round(connections / targets.length)),
        seconds,
      }),
    ),
  );
  return {
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    requestsPerSecond: results.reduce((sum, r) => sum + r.requestsPerSecond, 0),
    latencyP50Ms: Math.max(...results.map((r) => r.latencyP50Ms)),
    latencyP99Ms: Math.max(...results.map((r) => r.latencyP99Ms)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    cpuMs: stopMeter(),
  };
}

/**
 * The single-entry baseline: the same transaction written by hand — insert the entry, upsert its
 * person's year total, commit — by `connections` concurrent clients over a pool of as many, for
 * `seconds`, over the same number of persons, into copies of hour_entries and year_totals that hold
 * as many rows as the service's (an insert into a table that outgrows the buffer pool costs several
 * times one into an empty table). Transactions a second and their latency percentiles.
 */
export async function measureRawSingle(databaseUrl: string, seconds: number, connections: number, startMeter = unmetered) {
  const pool = createPool({ uri: databaseUrl, connectionLimit: connections });
  try {
    await pool.query('DROP TABLE IF EXISTS bench_single_entries, bench_single_totals');
    await pool.query('CREATE TABLE bench_single_entries LIKE hour_entries');
    await pool.query('CREATE TABLE bench_single_totals LIKE year_totals');
    const [copied] = await pool.query<ResultSetHeader>('INSERT INTO bench_single_entries SELECT * FROM hour_entries');
    await pool.query('INSERT INTO bench_single_totals SELECT * FROM year_totals');
    const providerId = newId();
    const personIds = Array.from({ length: BENCH_PERSONS }, () => newId());
    const latencies: number[] = [];
    let sequence = 0;
    const stopMeter = startMeter();
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const connection = await pool.getConnection();
        try {
          while (Date.now() < deadline) {
            const n = ++sequence;
            const day = completedOn(n, BENCH_PERSONS);
            const year = Number(day.slice(0, 4));
            const started = performance.now();
            await connection.beginTransaction();
            await connection.query(
              `INSERT INTO bench_single_entries (id, provider_id, external_id, person_id, category, hours_tenths, completed_on, ledger_year,
                 person_name, course_title, content_hash, created_at, chain_seq, chain_hash) VALUES (?, ?, ?, ?, 'professional', 15, ?, ?, '测试学员', '继续教育课程', ?, ?, ?, ?)`,
              [newId(), providerId, `raw-single-${n}`, personIds[n % BENCH_PERSONS], day, year, contentHash({ n }), new Date(), n, contentHash({ chain: n })],
            );
            await connection.query(
              `INSERT INTO bench_single_totals (person_id, ledger_year, professional_tenths, general_public_tenths, industry_public_tenths, entry_count)
               VALUES (?, ?, 15, 0, 0, 1) ON DUPLICATE KEY UPDATE professional_tenths = professional_tenths + 15, entry_count = entry_count + 1`,
              [personIds[n % BENCH_PERSONS], year],
            );
            await connection.commit();
            latencies.push(performance.now() - started);
          }
        } finally {
          connection.release();
        }
      }),
    );
    const cpuMs = stopMeter();
    latencies.sort((a, b) => a - b);
    const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))], 1);
    return { copiedRows: copied.affectedRows, transactions: latencies.length, transactionsPerSecond: round(latencies.length / seconds), latencyP50Ms: at(0.5), latencyP99Ms: at(0.99), cpuMs };
  } finally {
    await pool.end();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const total = Number(process.env.BENCH_ENTRIES ?? 100_000);
  const batch = Number(process.env.BENCH_BATCH ?? 5000);
  const clients = Number(process.env.BENCH_CLIENTS ?? 2);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  // BENCH_WORKLOADS=batch or =single runs one of the two, to measure a change to one path quickly.
  const workloads = new Set((process.env.BENCH_WORKLOADS ?? 'batch,single').split(','));
  const bench = await startBenchApp('ingest');
  try {
    const provider = await bench.admin('/api/v1/admin/providers', { code: 'bench-ingest', name: 'Bench' });
    // Who spends the machine's CPU in each workload: MariaDB, the service, Redis, this process.
    const startMeter = () => meterCpu({ mariadb: localPids('mariadbd', 'mysqld'), service: bench.pids, redis: localPids('redis-server') });
    // CPU per entry (or post), in µs: MariaDB / service / Redis / this process.
    const perItem = (cpuMs: Record<string, number>, items: number) => ['mariadb', 'service', 'redis', 'bench'].map((name) => round(((cpuMs[name] ?? 0) * 1000) / items, 1)).join(' / ');
    const rows: Row[] = [];
    const results: Record<string, unknown> = { total, batch, clients, target: 0.5 };

    if (workloads.has('batch')) {
      // The raw baseline's own speed varies from run to run by a third on this machine: rounds of
      // both, alternating, and the medians.
      const measured = [];
      for (let n = 0; n < rounds; n++) {
        const raw = await measureRawIngest(process.env.DATABASE_URL!, total, batch, clients, startMeter);
        const api = await measureApiIngest(bench, provider.apiKey, total, batch, clients, startMeter);
        measured.push({ raw, api });
      }
      // What the batches made the service's resident memory peak at (BENCH_SERVICE_NODE_ARGS can cap its heap).
      const batchPeakRssMb = round(bench.peakRssMb());
      const raw = median(measured.map((m) => m.raw.entriesPerSecond));
      const api = median(measured.map((m) => m.api.entriesPerSecond));
      const ratio = round(api / raw, 2);
      const last = measured[measured.length - 1];
      rows.push(
        { workload: 'raw mysql2 multi-row INSERT', 'entries/s': raw, rounds: measured.map((m) => m.raw.entriesPerSecond).join(' '), ratio: 1, 'CPU µs (db/api/redis/bench)': perItem(last.raw.cpuMs, total) },
        { workload: 'POST /api/v1/hours/batch', 'entries/s': api, rounds: measured.map((m) => m.api.entriesPerSecond).join(' '), ratio, 'CPU µs (db/api/redis/bench)': perItem(last.api.cpuMs, total) },
      );
      console.log(`service peak RSS after the batches: ${batchPeakRssMb} MB`);
      Object.assign(results, { rounds: measured, raw, api, ratio, batchPeakRssMb });
    }

    if (workloads.has('single')) {
      const rawSingle = await measureRawSingle(process.env.DATABASE_URL!, seconds, connections, startMeter);
      // BENCH_SINGLE_ROUNDS (1) rounds of single posts from one provider, and the median (by posts a
      // second): the first round of a fresh service runs colder than the next ones.
      const singleRounds = [];
      for (let n = 0; n < Number(process.env.BENCH_SINGLE_ROUNDS ?? 1); n++) singleRounds.push(await measureSinglePosts(bench, [provider.apiKey], seconds, connections, startMeter));
      const single = [...singleRounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(singleRounds.length / 2)];
      // The same load from as many providers as connections, one each: every provider posting its
      // trickle at once, as in December.
      const others = [];
      for (let n = 0; n < connections; n++) others.push((await bench.admin('/api/v1/admin/providers', { code: `bench-ingest-${n}`, name: `Bench ${n}` })).apiKey);
      const spread = await measureSinglePosts(bench, others, seconds, connections, startMeter);
      const singleRatio = round(single.requestsPerSecond / rawSingle.transactionsPerSecond, 2);
      rows.push(
        {
          workload: `raw insert + year-total upsert transaction (${connections} conn.)`,
          'entries/s': rawSingle.transactionsPerSecond,
          rounds: `${seconds} s`,
          ratio: `1; p50 ${rawSingle.latencyP50Ms} ms, p99 ${rawSingle.latencyP99Ms} ms`,
          'CPU µs (db/api/redis/bench)': perItem(rawSingle.cpuMs, rawSingle.transactions),
        },
        {
          workload: `POST /api/v1/hours (${connections} conn.)`,
          'entries/s': round(single.requestsPerSecond),
          rounds: singleRounds.length > 1 ? singleRounds.map((r) => `${round(r.requestsPerSecond)} (${perItem(r.cpuMs, r.requests).split(' / ')[1]} µs)`).join(' ') : `${seconds} s`,
          ratio: `${singleRatio}; p50 ${single.latencyP50Ms} ms, p99 ${single.latencyP99Ms} ms`,
          'CPU µs (db/api/redis/bench)': perItem(single.cpuMs, single.requests),
        },
        {
          workload: `POST /api/v1/hours (${connections} providers, 1 conn. each)`,
          'entries/s': round(spread.requestsPerSecond),
          rounds: `${seconds} s`,
          ratio: `${round(spread.requestsPerSecond / rawSingle.transactionsPerSecond, 2)}; p50 ${spread.latencyP50Ms} ms, p99 ${spread.latencyP99Ms} ms`,
          'CPU µs (db/api/redis/bench)': perItem(spread.cpuMs, spread.requests),
        },
      );
      Object.assign(results, { single: { ...single, seconds, connections }, singleRounds, spread, rawSingle, singleRatio });
    }

    printTable(`Ingest: ${[...workloads].join(' and ')}; ${total} entries, ${batch} a batch, ${clients} clients, median of ${rounds} rounds`, rows);
    console.log(`results: ${writeResult('ingest', results)}`);
  } finally {
    await bench.close();
  }
}

runIfMain(import.meta.url, main);
