import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { inRoundTrips, runTogether, sendStatementsTogether, statement } from '../../src/database/statements.js';
import { chunk, isTransientLockError } from '../../src/database/transactions.js';
import { entry } from '../support/entries.js';
import { spyOnQueries } from '../support/query-spy.js';
import { bearer, createProvider, startTestApp, type TestApp } from '../support/test-app.js';

/** The ledger's writes send their statements together: what goes in one round trip, what commits, what rolls back. */
describe('statements in round trips', () => {
  let test: TestApp;
  let db: DataSource;
  let queries: string[] = [];
  beforeAll(async () => {
    test = await startTestApp('roundtrips');
    db = test.dataSource;
    await db.query('CREATE TABLE rt_items (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL)');
    queries = spyOnQueries(db);
  });
  afterAll(() => test.close());
  beforeEach(async () => {
    await db.query('DELETE FROM rt_items');
    queries.length = 0;
  });

  const labels = async () => (await db.query('SELECT id, label FROM rt_items ORDER BY id')) as { id: number; label: string }[];
  const insert = (rows: [number, string][]) => {
    const parts = chunk(rows, 2);
    return statement(parts.map(() => 'INSERT INTO rt_items (id, label) VALUES ?'), parts.map((part) => [part]), (results: { affectedRows: number }[]) => results.reduce((sum, r) => sum + r.affectedRows, 0));
  };
  const select = (ids: number[]) =>
    statement(chunk(ids, 2).map(() => 'SELECT id, label FROM rt_items WHERE id IN (?) ORDER BY id'), chunk(ids, 2).map((part) => [part]), (results: { id: number }[][]) => results.flat().map((row) => row.id));

  it('reads each statement’s results in order, statements in parts and empty ones included, in one query', async () => {
    const [inserted, nothing, found, one] = await runTogether(db, insert([[1, 'a'], [2, 'b'], [3, 'c']]), select([]), select([3, 1, 2, 9]), statement('SELECT 7 AS n', [], ([rows]) => rows[0].n));
    expect(inserted).toBe(3);
    expect(nothing).toEqual([]);
    // Parts in order, each part's rows in its own order: [3, 1] then [2, 9].
    expect(found).toEqual([1, 3, 2]);
    expect(one).toBe(7);
    expect(queries.filter((sql) => sql.includes('rt_items'))).toHaveLength(1);
    // A single statement comes back alone from the driver, and is read the same way.
    expect(await runTogether(db, select([2]))).toEqual([[2]]);
  });

  it('on a Galera node sends the same statements one query each, in order, with the same results', async () => {
    sendStatementsTogether(false);
    try {
      const [inserted, nothing, found, one] = await runTogether(db, insert([[1, 'a'], [2, 'b'], [3, 'c']]), select([]), select([3, 1, 2, 9]), statement('SELECT 7 AS n', [], ([rows]) => rows[0].n));
      expect([inserted, nothing, found, one]).toEqual([3, [], [1, 3, 2], 7]);
      // Two INSERT parts and two SELECT parts, each with its own values, and the constant SELECT.
      expect(queries.filter((sql) => sql.includes('rt_items'))).toEqual([...Array(2).fill('INSERT INTO rt_items (id, label) VALUES ?'), ...Array(2).fill('SELECT id, label FROM rt_items WHERE id IN (?) ORDER BY id')]);
      expect(queries).toContain('SELECT 7 AS n');
    } finally {
      sendStatementsTogether(true);
    }
  });

  it('begins with the first round trip and commits with the last: two queries for a whole transaction', async () => {
    const result = await inRoundTrips(db, { isolation: 'READ COMMITTED' }, async (tx) => {
      const [before] = await tx.run(select([1]));
      const [inserted] = await tx.commit(insert([[1, 'x'], [2, 'y']]));
      return { before, inserted };
    });
    expect(result).toEqual({ before: [], inserted: 2 });
    expect(queries).toHaveLength(2);
    expect(await labels()).toEqual([{ id: 1, label: 'x' }, { id: 2, label: 'y' }]);
    expect(queries[0]).toMatch(/^SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSTART TRANSACTION;\nSELECT/);
    expect(queries[1]).toMatch(/;\nCOMMIT$/);
  });

  it('rolls back work that throws, and a round trip whose statement fails stops there: nothing is written', async () => {
    await expect(
      inRoundTrips(db, {}, async (tx) => {
        await tx.run(insert([[1, 'a']]));
        throw new Error('refused after the first round trip');
      }),
    ).rejects.toThrow('refused');
    // The second row repeats the first's key: the third statement never runs, the COMMIT neither.
    await expect(inRoundTrips(db, {}, (tx) => tx.commit(insert([[5, 'e']]), insert([[6, 'f'], [6, 'g']]), insert([[7, 'h']])))).rejects.toThrow(/Duplicate/);
    expect(await labels()).toEqual([]);
    // Work that does not commit itself is committed after it.
    await inRoundTrips(db, {}, (tx) => tx.run(insert([[8, 'i']])));
    expect(await labels()).toEqual([{ id: 8, label: 'i' }]);
  });

  it('a round trip whose transaction a deadlock rolls back runs nothing after the failing statement (what sending statements together relies on)', async () => {
    await db.query("INSERT INTO rt_items (id, label) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
    const [other, victim] = await Promise.all([1, 2].map(() => createConnection({ uri: process.env.DATABASE_URL, multipleStatements: true })));
    try {
      // The other transaction holds more rows, so InnoDB picks the round trip's transaction as the victim.
      await other.query("START TRANSACTION; UPDATE rt_items SET label = 'o' WHERE id = 1; UPDATE rt_items SET label = 'o' WHERE id = 3; UPDATE rt_items SET label = 'o' WHERE id = 4");
      await victim.query("START TRANSACTION; UPDATE rt_items SET label = 'v' WHERE id = 2");
      const waiting = other.query("UPDATE rt_items SET label = 'o' WHERE id = 2");
      await new Promise((resolve) => setTimeout(resolve, 200));
      const queryable = { query: async (sql: string, params?: unknown[]) => (await victim.query(sql, params))[0] };
      const roundTrip = runTogether(queryable, statement("UPDATE rt_items SET label = 'v' WHERE id = 1"), insert([[5, 'after']]), statement('COMMIT'));
      await expect(roundTrip).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' });
      await waiting;
      await other.query('COMMIT');
    } finally {
      await Promise.all([other.end(), victim.end()]);
    }
    expect(await labels()).toEqual([1, 2, 3, 4].map((id) => ({ id, label: 'o' })));
  });

  it('runs the work again, in a new transaction, after an error it is told to retry, counting attempts', async () => {
    const attempts: number[] = [];
    const label = await inRoundTrips(db, { retryable: (error) => error instanceof Retry || isTransientLockError(error) }, async (tx, attempt) => {
      attempts.push(attempt);
      await tx.run(insert([[attempt, `attempt ${attempt}`]]));
      if (attempt < 3) throw new Retry();
      return `attempt ${attempt}`;
    });
    expect(label).toBe('attempt 3');
    expect(attempts).toEqual([1, 2, 3]);
    expect(await labels()).toEqual([{ id: 3, label: 'attempt 3' }]);
  });

  it('never runs work again once its COMMIT went through, whatever it throws after', async () => {
    const attempts: number[] = [];
    await expect(
      inRoundTrips(db, { retryable: (error) => error instanceof Retry }, async (tx, attempt) => {
        attempts.push(attempt);
        await tx.commit(insert([[attempt, 'committed']]));
        throw new Retry();
      }),
    ).rejects.toBeInstanceOf(Retry);
    expect(attempts).toEqual([1]);
    expect(await labels()).toEqual([{ id: 1, label: 'committed' }]);
  });

  it('a provider’s post for a person on record is two round trips: the lock with the year totals, then the writes with the COMMIT', async () => {
    const { apiKey } = await createProvider(test, 'roundtrips');
    const post = (externalId: string, status: number) => test.http().post('/api/v1/hours').set(bearer(apiKey)).send(entry(externalId, { hours: 2 }, 3)).expect(status);
    await post('rt-1', 201); // a new person: inserted and locked in a round trip of its own
    queries.length = 0;
    const created = (await post('rt-2', 201)).body;
    const ledger = queries.filter((sql) => /persons|hour_entries|year_totals/.test(sql));
    expect(ledger).toHaveLength(2);
    expect(ledger[0]).toMatch(/^SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSTART TRANSACTION;\nSELECT .*FROM persons p LEFT JOIN year_totals .* FOR UPDATE$/s);
    expect(ledger[1]).toMatch(/^INSERT INTO hour_entries.*;\nUPDATE persons SET chain_seq = \?, chain_head = \? WHERE id = \?;\nINSERT INTO year_totals.*;\nCOMMIT$/s);
    // The answer is what was written, without reading it back; a read shows the same.
    const [stored] = (await test.http().get('/api/v1/hours?externalId=rt-2').set(bearer(apiKey)).expect(200)).body.items;
    expect(created).toEqual(stored);
    // A replay is read: its first attempt meets the unique index, the second reads what was posted.
    queries.length = 0;
    expect((await post('rt-2', 200)).body).toEqual(stored);
  });
});

class Retry extends Error {}
