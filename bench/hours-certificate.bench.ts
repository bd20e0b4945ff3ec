import { createPool } from 'mysql2/promise';
import { type BenchApp, postJson, startBenchApp } from './lib/bench-app.js';
import { printTable, round, runIfMain, writeResult } from './lib/report.js';
import { benchIdNumber } from './lib/seed.js';
import { LEDGER_SQL } from '../src/ledger/ledger.repository.js';

/**
 * Issuing a 学时证明 of 10 years with 500 entries (POST /api/v1/hours-certificates: read the ledger,
 * record the access, sign, store), one request at a time, against the raw time of the ledger statement
 * it runs (the same SQL straight through mysql2). Target: p95 under 300 ms. `npm run bench:certificates`;
 * BENCH_REQUESTS (200).
 */
async function seed(bench: BenchApp) {
  const provider = await bench.admin('/api/v1/admin/providers', { code: 'bench-certificates', name: '基准测试培训机构' });
  const titleSystem = await bench.admin('/api/v1/admin/clients', { name: 'Bench title system', role: 'title_system' });
  const idNumber = benchIdNumber(11);
  const categories = ['professional', 'professional', 'general_public', 'industry_public'];
  const entries = Array.from({ length: 500 }, (_, i) => ({
    externalId: `cert-${i}`,
    idNumber,
    personName: '测试',
    category: categories[i % 4],
    hours: 1.5,
    completedOn: `${2016 + Math.floor(i / 50)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    courseTitle: `专业技术课程 ${i}`,
  }));
  await postJson(`${bench.url}/api/v1/hours/batch`, provider.apiKey, { entries });
  return { idNumber, titleSystemKey: titleSystem.apiKey as string };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export async function measureIssuing(bench: BenchApp, requests: number) {
  const target = await seed(bench);
  const issued: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await postJson(`${bench.url}/api/v1/hours-certificates`, target.titleSystemKey, { idNumber: target.idNumber, fromYear: 2016, toYear: 2025 });
    issued.push(performance.now() - started);
  }
  const pool = createPool({ uri: process.env.DATABASE_URL!, connectionLimit: 1, dateStrings: true });
  const raw: number[] = [];
  try {
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      await pool.query(LEDGER_SQL, [bench.personKey(target.idNumber)]);
      raw.push(performance.now() - started);
    }
  } finally {
    await pool.end();
  }
  issued.sort((a, b) => a - b);
  raw.sort((a, b) => a - b);
  return {
    requests,
    issue: { p50Ms: round(percentile(issued, 0.5), 1), p95Ms: round(percentile(issued, 0.95), 1), p99Ms: round(percentile(issued, 0.99), 1) },
    rawLedgerQuery: { p50Ms: round(percentile(raw, 0.5), 1), p95Ms: round(percentile(raw, 0.95), 1) },
  };
}

async function main() {
  const requests = Number(process.env.BENCH_REQUESTS ?? 200);
  const bench = await startBenchApp('certificates');
  try {
    const result = await measureIssuing(bench, requests);
    printTable('学时证明: 10 years, 500 entries, one request at a time', [
      { workload: 'raw ledger statement (mysql2)', 'p50 ms': result.rawLedgerQuery.p50Ms, 'p95 ms': result.rawLedgerQuery.p95Ms },
      { workload: 'POST /api/v1/hours-certificates', 'p50 ms': result.issue.p50Ms, 'p95 ms': result.issue.p95Ms },
    ]);
    console.log(`results: ${writeResult('hours-certificate', { ...result, targets: { p95Ms: 300 } })}`);
  } finally {
    await bench.close();
  }
}

runIfMain(import.meta.url, main);
