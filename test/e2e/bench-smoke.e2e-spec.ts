import { startBenchApp } from '../../bench/lib/bench-app.js';
import { measureRawQueue, measureRoster, seedCertificationTarget } from '../../bench/certification.bench.js';
import { measureIssuing } from '../../bench/hours-certificate.bench.js';
import { measureApiIngest, measureRawIngest, measureRawSingle, measureSinglePosts } from '../../bench/ingest.bench.js';
import { meterCpu } from '../../bench/lib/cpu.js';
import { measureApiRead, measureRawRead, seedLedger } from '../../bench/ledger-read.bench.js';
import { measureEvaluator, measurePreview, seedPreviewTarget } from '../../bench/rules.bench.js';
import { measureServiceFloor, measureStatements } from '../../bench/write-statements.bench.js';
import { localPids } from '../../bench/lib/cpu.js';

/** The benchmarks are not part of npm test, but a run with tiny sizes is, so that they cannot rot. */
describe('benchmark smoke run', () => {
  it('rules: the pure evaluator and the preview endpoint under load', async () => {
    const evaluator = measureEvaluator(2000);
    expect(evaluator.evaluations).toBe(2000);
    expect(evaluator.eligible).toBe(2000);
    expect(evaluator.evaluationsPerSecond).toBeGreaterThan(0);

    const bench = await startBenchApp('smoke');
    try {
      const target = await seedPreviewTarget(bench);
      const preview = await measurePreview(bench, target, 1, 2);
      expect(preview.requests).toBeGreaterThan(0);
      expect(preview.non2xx).toBe(0);
      expect(preview.errors).toBe(0);
    } finally {
      await bench.close();
    }
  });

  it('ingest: the raw baseline, batches through the API and single posts', async () => {
    const bench = await startBenchApp('smoke_ingest');
    try {
      const provider = await bench.admin('/api/v1/admin/providers', { code: 'smoke-ingest', name: 'Smoke' });
      const raw = await measureRawIngest(process.env.DATABASE_URL!, 400, 100, 2);
      expect(raw.entries).toBe(400);
      const api = await measureApiIngest(bench, provider.apiKey, 400, 100, 2);
      expect(api.entriesPerSecond).toBeGreaterThan(0);
      const [{ n }] = await bench.query<{ n: number }>('SELECT COUNT(*) AS n FROM hour_entries');
      expect(Number(n)).toBe(400);
      // What MariaDB spends on each statement of a write, against the raw INSERT of the same rows.
      const [{ id: providerId }] = await bench.query<{ id: string }>("SELECT id FROM providers WHERE code = 'smoke-ingest'");
      const persons = await bench.query<{ id: string; personKey: Buffer; name: string; seq: number; head: Buffer | null }>(
        'SELECT id, id_number_hmac AS personKey, name, chain_seq AS seq, chain_head AS head FROM persons LIMIT 20',
      );
      await bench.query('CREATE TABLE bench_statement_entries LIKE hour_entries');
      const statements = await measureStatements(bench, providerId, persons, localPids('mariadbd', 'mysqld'));
      expect(Object.keys(statements).sort()).toEqual(
        ["chain heads' UPDATE", "entries' INSERT", "persons' lock with year totals", 'raw multi-row INSERT (baseline)', "year totals' upsert"],
      );
      const [{ n: unchanged }] = await bench.query<{ n: number }>('SELECT COUNT(*) AS n FROM hour_entries');
      expect(Number(unchanged)).toBe(400); // each statement ran in a transaction rolled back
      const floor = measureServiceFloor(50);
      expect(Object.keys(floor)).toEqual(['the request body parsed', 'HMAC of the ID number', 'content hash, with the row it goes in', 'chain hash', "the entries' INSERT as SQL text"]);
      for (const spent of Object.values(floor)) expect(spent).toBeGreaterThan(0);
      const single = await measureSinglePosts(bench, [provider.apiKey], 1, 2, () => meterCpu({ service: bench.pids }));
      expect(single.requests).toBeGreaterThan(0);
      expect(single.non2xx).toBe(0);
      // The service's CPU is metered from /proc, the benchmark's own from the process.
      expect(single.cpuMs.service).toBeGreaterThan(0);
      expect(single.cpuMs.bench).toBeGreaterThan(0);
      const rawSingle = await measureRawSingle(process.env.DATABASE_URL!, 1, 2);
      expect(rawSingle.transactions).toBeGreaterThan(0);
      // The baseline writes into a copy of the ledger as large as the service's.
      const [{ n: stored }] = await bench.query<{ n: number }>('SELECT COUNT(*) AS n FROM bench_single_entries');
      expect(rawSingle.copiedRows).toBeGreaterThanOrEqual(400);
      expect(Number(stored)).toBe(rawSingle.copiedRows + rawSingle.transactions);
    } finally {
      await bench.close();
    }
  });

  it('ledger read: the raw SQL baseline and both endpoints', async () => {
    const bench = await startBenchApp('smoke_ledger');
    try {
      const target = await seedLedger(bench);
      const raw = await measureRawRead(process.env.DATABASE_URL!, bench.personKey(target.idNumber), 1, 2, 2);
      expect(raw.reads).toBeGreaterThan(0);
      for (const path of ['ledger-queries', 'me'] as const) {
        const result = await measureApiRead(bench, path, target, 1, 2);
        expect(result.requests).toBeGreaterThan(0);
        expect(result.non2xx).toBe(0);
      }
    } finally {
      await bench.close();
    }
  });

  it('certification: the raw BullMQ baseline and a roster until completed', async () => {
    const bench = await startBenchApp('smoke_cert');
    try {
      const raw = await measureRawQueue(process.env.REDIS_URL!, 50, 4);
      expect(raw.jobs).toBe(50);
      const key = await seedCertificationTarget(bench, 10);
      const roster = await measureRoster(bench, key, 30, 10);
      expect(roster.certifications).toBe(30);
      expect(roster.perSecond).toBeGreaterThan(0);
    } finally {
      await bench.close();
    }
  });

  it('hours certificates: issuing 10 years × 500 entries, and the raw ledger statement', async () => {
    const bench = await startBenchApp('smoke_hourscert');
    try {
      const result = await measureIssuing(bench, 3);
      expect(result.requests).toBe(3);
      expect(result.issue.p95Ms).toBeGreaterThan(0);
      expect(result.rawLedgerQuery.p95Ms).toBeGreaterThan(0);
    } finally {
      await bench.close();
    }
  });
});
