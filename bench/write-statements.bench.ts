import { readdirSync, readFileSync } from 'node:fs';
import { format } from 'mysql2';
import { createConnection, type Connection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { contentHash } from '../src/common/content-hash.js';
import { newId } from '../src/common/ids.js';
import type { Statement } from '../src/database/statements.js';
import { PiiService } from '../src/common/pii.service.js';
import { chainHash, GENESIS, storedTimestamp } from '../src/ledger/chain.js';
import { entryContentHash } from '../src/ledger/entry-content-hash.js';
import { type LockedPersons, LedgerRepository, type NewEntryRow } from '../src/ledger/ledger.repository.js';
import { type BenchApp, startBenchApp } from './lib/bench-app.js';
import { localPids } from './lib/cpu.js';
import { entries as batchEntries, measureApiIngest } from './ingest.bench.js';
import { printTable, round, runIfMain, writeResult } from './lib/report.js';

/**
 * What MariaDB spends on each statement of a batch's write, in µs an entry: the statements the
 * ledger repository builds for one entry of each of BENCH_BATCH persons — the persons' lock with
 * their year totals, the entries' INSERT, the chain heads' UPDATE, the year totals' upsert — each part
 * run alone in a transaction that is rolled back, and charged with the run time that `mariadbd`'s
 * threads gained meanwhile (`/proc/<pid>/task/<tid>/schedstat`, ns). The baseline, in the same run:
 * the raw multi-row INSERT of the same rows into a copy of `hour_entries` as large, as bench:ingest sends it.
 * The ledger is first filled through the API with BENCH_ENTRIES entries (as bench:ingest's first
 * round), so that the tables are not empty. `npm run bench:statements`; BENCH_BATCH (5000),
 * BENCH_ENTRIES (100000), BENCH_ROUNDS (5, after one not counted), medians. Then the service's floor:
 * measureServiceFloor below.
 */

/** Run time of all of these processes' threads so far, in ns (0 where /proc is missing). */
function threadsNs(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // a thread that ended meanwhile
      }
    }
  }
  return total;
}

/** Which statement of a write a part of SQL is. */
function kindOf(sql: string): string {
  if (sql.startsWith('SELECT p.id, p.name')) return "persons' lock with year totals";
  if (sql.startsWith('INSERT INTO hour_entries')) return "entries' INSERT";
  if (sql.startsWith('UPDATE')) return "chain heads' UPDATE";
  if (sql.startsWith('INSERT INTO year_totals')) return "year totals' upsert";
  throw new Error(`A statement this benchmark does not know: ${sql.slice(0, 60)}`);
}

/** MariaDB's ns for each part of these statements, each alone in a transaction rolled back, by kind. */
async function measureParts(connection: Connection, statements: Statement<unknown>[], pids: number[], into: Map<string, number>): Promise<void> {
  for (const { sql, params } of statements) {
    for (const [at, part] of sql.entries()) {
      await connection.query('START TRANSACTION');
      const before = threadsNs(pids);
      await connection.query(part, params[at]);
      const spent = threadsNs(pids) - before;
      await connection.query('ROLLBACK');
      into.set(kindOf(part), (into.get(kindOf(part)) ?? 0) + spent);
    }
  }
}

interface Person {
  id: string;
  personKey: Buffer;
  name: string;
  seq: number;
  head: Buffer | null;
}

/** One round: the service's statements for one entry of each person, and the raw INSERT of the same rows. */
export async function measureStatements(bench: BenchApp, providerId: string, persons: Person[], pids: number[]): Promise<Record<string, number>> {
  const connection = await createConnection({ uri: process.env.DATABASE_URL });
  try {
    const ledger = new LedgerRepository(null as unknown as DataSource); // builds statements only
    const createdAt = storedTimestamp(new Date());
    const entries: NewEntryRow[] = persons.map((person, i) => ({
      id: newId(),
      source: 'provider',
      providerId,
      recorderName: null,
      externalId: `statements-${createdAt}-${i}`,
      externalGeneration: 0,
      personId: person.id,
      category: 'professional',
      hoursTenths: 15,
      completedOn: '2020-06-01',
      ledgerYear: 2020,
      personName: person.name,
      courseTitle: '继续教育课程',
      contentHash: entryContentHash({ person: person.personKey.toString('hex'), personName: person.name, category: 'professional', hoursTenths: 15, completedOn: '2020-06-01', courseTitle: '继续教育课程' }),
      reversesEntryId: null,
      reversalReason: null,
      createdAt,
    }));
    const heads = new Map(persons.map((person) => [person.id, { seq: person.seq, hash: person.head ?? Buffer.alloc(32) }]));
    const spent = new Map<string, number>();
    const lock: Statement<LockedPersons> = ledger.lockPersons(persons.map((person) => ({ personKey: person.personKey, year: 2020 })));
    await measureParts(connection, [lock, ledger.appendEntries(entries, heads)], pids, spent);

    // The raw baseline: the same rows, one statement, as bench:ingest's raw client sends them, into a
    // copy of hour_entries as large (main() makes it).
    const rows = entries.map((e, i) => [
      e.id, e.providerId, e.externalId, e.personId, e.category, e.hoursTenths, e.completedOn, e.ledgerYear, e.personName, e.courseTitle, e.contentHash,
      null, null, e.createdAt, heads.get(e.personId)!.seq + 1, contentHash({ chain: i }),
    ]);
    await connection.query('START TRANSACTION');
    const before = threadsNs(pids);
    await connection.query(
      `INSERT INTO bench_statement_entries (id, provider_id, external_id, person_id, category, hours_tenths, completed_on, ledger_year,
         person_name, course_title, content_hash, reverses_entry_id, reversal_reason, created_at, chain_seq, chain_hash) VALUES ?`,
      [rows],
    );
    spent.set('raw multi-row INSERT (baseline)', threadsNs(pids) - before);
    await connection.query('ROLLBACK');
    return Object.fromEntries([...spent].map(([kind, ns]) => [kind, ns / 1000 / persons.length]));
  } finally {
    await connection.end();
  }
}

/**
 * The service's side of the same question: the CPU an entry costs in the steps that no way of
 * writing a batch can skip — reading the request's JSON, the HMAC of the ID number, the content
 * hash, the chain hash, and the entries' INSERT as SQL text — with the service's own functions, in
 * this process, µs an entry. Everything else the service does for a batch (checks, locks, the other
 * statements, the response, garbage collection) comes on top.
 */
export function measureServiceFloor(count: number): Record<string, number> {
  const body = JSON.stringify({ entries: batchEntries(count, `floor-${Date.now()}`) });
  const pii = new PiiService({ get: () => 'bench-pii-key-00000000000000000000000000' } as never);
  const ledger = new LedgerRepository(null as unknown as DataSource);
  const createdAt = storedTimestamp(new Date());
  const spent: Record<string, number> = {};
  const timed = <T>(step: string, work: () => T): T => {
    const started = process.hrtime.bigint();
    const value = work();
    spent[step] = Number(process.hrtime.bigint() - started) / 1000 / count;
    return value;
  };
  const parsed = timed('the request body parsed', () => (JSON.parse(body) as { entries: ReturnType<typeof batchEntries> }).entries);
  const keys = timed('HMAC of the ID number', () => parsed.map((entry) => pii.lookupHash(entry.idNumber)));
  const rows: NewEntryRow[] = timed('content hash, with the row it goes in', () =>
    parsed.map((entry, i) => ({
      id: newId(),
      source: 'provider',
      providerId: 'provider',
      recorderName: null,
      externalId: entry.externalId,
      externalGeneration: 0,
      personId: newId(),
      category: entry.category,
      hoursTenths: 15,
      completedOn: entry.completedOn,
      ledgerYear: Number(entry.completedOn.slice(0, 4)),
      personName: entry.personName,
      courseTitle: entry.courseTitle,
      contentHash: entryContentHash({ person: keys[i].toString('hex'), personName: entry.personName, category: entry.category, hoursTenths: 15, completedOn: entry.completedOn, courseTitle: entry.courseTitle }),
      reversesEntryId: null,
      reversalReason: null,
      createdAt,
    })),
  );
  timed('chain hash', () => rows.map((row) => chainHash(GENESIS, row)));
  const write = ledger.appendEntries(rows, new Map(rows.map((row) => [row.personId, { seq: 0, hash: GENESIS }])));
  timed("the entries' INSERT as SQL text", () => write.sql.forEach((sql, at) => sql.startsWith('INSERT INTO hour_entries') && format(sql, write.params[at] as never)));
  return spent;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const batch = Number(process.env.BENCH_BATCH ?? 5000);
  const filled = Number(process.env.BENCH_ENTRIES ?? 100_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const bench = await startBenchApp('statements');
  try {
    const provider = await bench.admin('/api/v1/admin/providers', { code: 'bench-statements', name: 'Bench' });
    await measureApiIngest(bench, provider.apiKey, filled, 5000, 2);
    const [{ id: providerId }] = await bench.query<{ id: string }>("SELECT id FROM providers WHERE code = 'bench-statements'");
    const persons = await bench.query<Person>(
      'SELECT id, id_number_hmac AS personKey, name, chain_seq AS seq, chain_head AS head FROM persons ORDER BY id_number_hmac LIMIT ?',
      [batch],
    );
    await bench.query('CREATE TABLE bench_statement_entries LIKE hour_entries');
    await bench.query('INSERT INTO bench_statement_entries SELECT * FROM hour_entries');
    const pids = localPids('mariadbd', 'mysqld');
    // A first round, not counted: the fill leaves MariaDB purging and flushing for a while.
    await measureStatements(bench, providerId, persons, pids);
    const measured: Record<string, number>[] = [];
    for (let n = 0; n < rounds; n++) measured.push(await measureStatements(bench, providerId, persons, pids));
    const kinds = Object.keys(measured[0]);
    const service = kinds.filter((kind) => !kind.startsWith('raw'));
    const rows = kinds.map((kind) => ({
      statement: kind,
      'µs an entry (median)': round(median(measured.map((m) => m[kind])), 1),
      rounds: measured.map((m) => round(m[kind], 1)).join(' '),
    }));
    const total = round(median(measured.map((m) => service.reduce((sum, kind) => sum + m[kind], 0))), 1);
    rows.push({ statement: "the write's statements together", 'µs an entry (median)': total, rounds: '' });
    printTable(`MariaDB's run time per statement of a write: one entry for each of ${persons.length} persons, ledger filled with ${filled} entries, median of ${rounds}`, rows);
    // The service's floor: a first round to warm up, not counted.
    measureServiceFloor(batch);
    const floors = Array.from({ length: rounds }, () => measureServiceFloor(batch));
    const steps = Object.keys(floors[0]);
    const floorRows = steps.map((step) => ({ step, 'µs an entry (median)': round(median(floors.map((f) => f[step])), 2), rounds: floors.map((f) => round(f[step], 2)).join(' ') }));
    const floor = round(median(floors.map((f) => steps.reduce((sum, step) => sum + f[step], 0))), 1);
    floorRows.push({ step: 'together', 'µs an entry (median)': floor, rounds: '' });
    printTable(`The service's CPU an entry in the steps no batch can skip (${batch} entries a batch, this process, median of ${rounds})`, floorRows);
    console.log(`results: ${writeResult('write-statements', { batch: persons.length, filled, rounds: measured, total, serviceFloor: { rounds: floors, floor } })}`);
  } finally {
    await bench.close();
  }
}

runIfMain(import.meta.url, main);
