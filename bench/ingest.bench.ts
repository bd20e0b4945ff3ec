import { createPool } from 'mysql2/promise';
import { contentHash } from '../src/common/content-hash.js';
import { newId } from '../src/common/ids.js';
import { type BenchApp, postJson, startBenchApp } from './lib/bench-app.js';
import { load, type LoadResult } from './lib/http-load.js';
import { printTable, round, writeResult, runIfMain } from './lib/report.js';
import { benchIdNumber } from './lib/seed.js';

/**
 * Ingest: N entries through POST /api/v1/hours/batch (BATCH a request, CLIENTS concurrent clients)
 * against the fastest raw way of storing the same rows (mysql2 multi-row INSERTs of BATCH rows into a
 * copy of hour_entries, same concurrency, same machine, same run); and single-entry POST /api/v1/hours
 * under autocannon. `npm run bench:ingest`; sizes: BENCH_ENTRIES (100000), BENCH_BATCH (5000),
 * BENCH_CLIENTS (2), BENCH_ROUNDS (3), BENCH_SECONDS (10), BENCH_CONNECTIONS (50).
 */

const CATEGORIES = ['professional', 'general_public', 'industry_public'] as const;

/** Entries spread over this many persons: each 100,000-entry run gives every person 20 entries. */
const BENCH_PERSONS = 5000;

export function entries(count: number, prefix: string, persons = BENCH_PERSONS) {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `${prefix}-${i}`,
    idNumber: benchIdNumber(i % persons),
    personName: '测试学员',
    category: CATEGORIES[i % 3],
    hours: 1.5,
    completedOn: `${2016 + (i % 10)}-06-15`,
    courseTitle: '继续教育课程',
  }));
}

async function inParallel(clients: number, batches: number, run: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < batches) await run(next++);
  }));
}

export async function measureApiIngest(bench: BenchApp, providerKey: string, total: number, batch: number, clients: number) {
  const all = entries(total, `api-${Date.now()}`);
  const started = process.hrtime.bigint();
  await inParallel(clients, Math.ceil(total / batch), async (index) => {
    await postJson(`${bench.url}/api/v1/hours/batch`, providerKey, { entries: all.slice(index * batch, (index + 1) * batch) });
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { entries: total, seconds: round(seconds, 2), entriesPerSecond: round(total / seconds) };
}

/**
 * The raw baseline: the same rows inserted straight into a copy of the table: one provider, the
 * same persons (ids made as the service makes them), hashes of the same size. The copy is kept
 * between rounds, so that it grows as hour_entries does (the bench database goes with it).
 */
export async function measureRawIngest(databaseUrl: string, total: number, batch: number, clients: number) {
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
    const started = process.hrtime.bigint();
    await inParallel(clients, Math.ceil(total / batch), async (index) => {
      await pool.query(
        `INSERT INTO bench_hour_entries (id, provider_id, external_id, person_id, category, hours_tenths, completed_on, ledger_year,
           person_name, course_title, content_hash, reverses_entry_id, reversal_reason, created_at, chain_seq, chain_hash) VALUES ?`,
        [rows.slice(index * batch, (index + 1) * batch)],
      );
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { entries: total, seconds: round(seconds, 2), entriesPerSecond: round(total / seconds) };
  } finally {
    await pool.end();
  }
}

export function measureSinglePosts(bench: BenchApp, providerKey: string, seconds: number, connections: number): Promise<LoadResult> {
  let sequence = 0;
  const run = Date.now();
  return load({
    url: `${bench.url}/api/v1/hours`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${providerKey}` },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(entries(1, `single-${run}-${++sequence}`, 1)[0]) }) }],
    connections,
    seconds,
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const total = Number(process.env.BENCH_ENTRIES ?? 100_000);
  const batch = Number(process.env.BENCH_BATCH ?? 5000);
  const clients = Number(process.env.BENCH_CLIENTS ?? 2);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const bench = await startBenchApp('ingest');
  try {
    const provider = await bench.admin('/api/v1/admin/providers', { code: 'bench-ingest', name: 'Bench' });
    // The raw baseline's own speed varies from run to run by a third on this machine: rounds of
    // both, alternating, and the medians.
    const measured = [];
    for (let n = 0; n < rounds; n++) {
      const raw = await measureRawIngest(process.env.DATABASE_URL!, total, batch, clients);
      const api = await measureApiIngest(bench, provider.apiKey, total, batch, clients);
      measured.push({ raw, api });
    }
    const raw = median(measured.map((m) => m.raw.entriesPerSecond));
    const api = median(measured.map((m) => m.api.entriesPerSecond));
    const single = await measureSinglePosts(bench, provider.apiKey, seconds, connections);
    const ratio = round(api / raw, 2);
    printTable(`Ingest: ${total} entries, ${batch} a batch, ${clients} clients, median of ${rounds} rounds`, [
      { workload: 'raw mysql2 multi-row INSERT', 'entries/s': raw, rounds: measured.map((m) => m.raw.entriesPerSecond).join(' '), ratio: 1 },
      { workload: 'POST /api/v1/hours/batch', 'entries/s': api, rounds: measured.map((m) => m.api.entriesPerSecond).join(' '), ratio },
      { workload: `POST /api/v1/hours (${connections} conn.)`, 'entries/s': round(single.requestsPerSecond), rounds: `${seconds} s`, ratio: `p99 ${single.latencyP99Ms} ms` },
    ]);
    console.log(`results: ${writeResult('ingest', { total, batch, clients, rounds: measured, raw, api, ratio, target: 0.5, single: { ...single, seconds, connections } })}`);
  } finally {
    await bench.close();
  }
}

runIfMain(import.meta.url, main);
