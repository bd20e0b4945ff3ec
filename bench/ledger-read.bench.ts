import { createPool, type Pool } from 'mysql2/promise';
import { type BenchApp, startBenchApp } from './lib/bench-app.js';
import { load, type LoadResult } from './lib/http-load.js';
import { printTable, round, writeResult, runIfMain } from './lib/report.js';
import { seedApplicant } from './lib/seed.js';
import { LEDGER_SQL } from '../src/ledger/ledger.repository.js';

/**
 * Ledger read: one person with 10 years × 20 entries, read through POST /api/v1/ledger-queries and
 * GET /api/v1/me/ledger under autocannon, against the same statement run straight through a mysql2
 * pool with the same concurrency (the raw baseline). `npm run bench:ledger`; BENCH_SECONDS (10), BENCH_CONNECTIONS (50),
 * BENCH_LATENCY_CONNECTIONS (10).
 */

export const seedLedger = (bench: BenchApp) => seedApplicant(bench, 'bench-ledger', 7);

/** The statement the service runs for one ledger, straight through mysql2: the fastest raw way. */
async function rawLedger(pool: Pool, personKey: Buffer): Promise<number> {
  const [rows] = await pool.query<any[]>(LEDGER_SQL, [personKey]);
  return rows.length;
}

export async function measureRawRead(databaseUrl: string, personKey: Buffer, seconds: number, concurrency: number, poolSize: number) {
  const pool = createPool({ uri: databaseUrl, connectionLimit: poolSize, dateStrings: true });
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const started = performance.now();
        await rawLedger(pool, personKey);
        latencies.push(performance.now() - started);
      }
    }));
  } finally {
    await pool.end();
  }
  latencies.sort((a, b) => a - b);
  return { reads: latencies.length, readsPerSecond: round(latencies.length / seconds), latencyP99Ms: round(latencies[Math.floor(latencies.length * 0.99)] ?? 0, 1) };
}

export function measureApiRead(bench: BenchApp, path: 'ledger-queries' | 'me', target: Awaited<ReturnType<typeof seedLedger>>, seconds: number, connections: number): Promise<LoadResult> {
  return path === 'ledger-queries'
    ? load({ url: `${bench.url}/api/v1/ledger-queries`, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${target.titleSystemKey}` }, body: JSON.stringify({ idNumber: target.idNumber }), connections, seconds })
    : load({ url: `${bench.url}/api/v1/me/ledger`, headers: { authorization: `Bearer ${target.applicantToken}` }, connections, seconds });
}

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  // The target's 50 connections, and fewer: at 50 the machine is saturated and latency is queueing
  // (Little's law: 50 in flight at 1,000 reads/s is 50 ms on average), at 10 it is the service's own.
  const levels = [Number(process.env.BENCH_CONNECTIONS ?? 50), Number(process.env.BENCH_LATENCY_CONNECTIONS ?? 10)];
  const bench = await startBenchApp('ledger');
  try {
    const target = await seedLedger(bench);
    const personKey = bench.personKey(target.idNumber);
    const results = [];
    for (const connections of levels) {
      const raw = await measureRawRead(process.env.DATABASE_URL!, personKey, seconds, connections, 10);
      const query = await measureApiRead(bench, 'ledger-queries', target, seconds, connections);
      const mine = await measureApiRead(bench, 'me', target, seconds, connections);
      printTable(`Ledger read: 10 years × 20 entries, ${connections} connections`, [
        { workload: 'raw SQL through mysql2 (pool of 10)', 'reads/s': raw.readsPerSecond, 'p99 ms': raw.latencyP99Ms, ratio: 1 },
        { workload: 'POST /api/v1/ledger-queries', 'reads/s': round(query.requestsPerSecond), 'p99 ms': query.latencyP99Ms, ratio: round(query.requestsPerSecond / raw.readsPerSecond, 2) },
        { workload: 'GET /api/v1/me/ledger', 'reads/s': round(mine.requestsPerSecond), 'p99 ms': mine.latencyP99Ms, ratio: round(mine.requestsPerSecond / raw.readsPerSecond, 2) },
      ]);
      results.push({ connections, raw, ledgerQueries: query, meLedger: mine });
    }
    console.log(`results: ${writeResult('ledger-read', { seconds, results, targets: { ratio: 0.5, p99Ms: 50, connections: 50 } })}`);
  } finally {
    await bench.close();
  }
}

runIfMain(import.meta.url, main);
