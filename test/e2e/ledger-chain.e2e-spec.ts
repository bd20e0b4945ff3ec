import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_KEY, bearer, createProvider, startTestApp, TEST_MYSQL, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';

const run = promisify(execFile);

/** The ledger is append-only by the database's own rules, and tamper-evident by a hash chain per person. */
describe('tamper-evident ledger', () => {
  let test: TestApp;
  let provider: string;
  let other: string;
  beforeAll(async () => {
    test = await startTestApp('chain');
    provider = (await createProvider(test, 'chain-a')).apiKey;
    other = (await createProvider(test, 'chain-b')).apiKey;
  });
  afterAll(() => test.close());

  const verify = async () => (await test.http().post('/api/v1/admin/ledger-verifications').set(bearer(ADMIN_KEY)).expect(200)).body;
  const verifyCli = () =>
    run(process.execPath, [join(process.cwd(), 'dist', 'src', 'ledger-verify.js')], { env: { ...process.env, DATABASE_URL: `${TEST_MYSQL}/${test.databaseName}`, LOG_LEVEL: 'silent' } }).then(
      ({ stdout }) => ({ code: 0, report: JSON.parse(stdout) }),
      (error: { code: number; stdout: string }) => ({ code: error.code, report: JSON.parse(error.stdout) }),
    );

  it('chains every entry per person, concurrent writers included, and verifies', async () => {
    const first = (await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('c-1', {}, 1)).expect(201)).body;
    await test.http().post('/api/v1/hours/batch').set(bearer(provider)).send({ entries: [entry('c-2', { completedOn: '2023-03-01' }, 1), entry('c-3', {}, 2)] }).expect(201);
    await test.http().post(`/api/v1/hours/${first.id}/reversal`).set(bearer(provider)).send({ reason: '更正' }).expect(201);
    // Two providers posting for the same people at once: the chain heads are locked, no link is forked.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        test.http().post('/api/v1/hours/batch').set(bearer(i % 2 ? provider : other)).send({ entries: [entry(`c-x-${i}`, { hours: 1, completedOn: `2022-01-${String(i + 1).padStart(2, '0')}` }, 1), entry(`c-y-${i}`, { hours: 1 }, 2)] }).expect(201),
      ),
    );
    const report = await verify();
    expect(report).toMatchObject({ ok: true, persons: 2, entries: 24, brokenChains: 0, firstBrokenLink: null, yearTotalMismatches: [] });
    const seqs: { person: string; seq: number }[] = await test.dataSource.query('SELECT person_id AS person, chain_seq AS seq FROM hour_entries ORDER BY person_id, chain_seq');
    for (const person of new Set(seqs.map((s) => s.person))) {
      expect(seqs.filter((s) => s.person === person).map((s) => s.seq)).toEqual(seqs.filter((s) => s.person === person).map((_, i) => i + 1));
    }
  });

  it('the database refuses UPDATE and DELETE of entries', async () => {
    await expect(test.dataSource.query('UPDATE hour_entries SET hours_tenths = 1 LIMIT 1')).rejects.toThrow(/append-only/);
    await expect(test.dataSource.query('DELETE FROM hour_entries LIMIT 1')).rejects.toThrow(/append-only/);
  });

  it('an entry edited behind the service’s back (triggers dropped first) is found: the first broken link, and its year total', async () => {
    const [target] = await test.dataSource.query(
      "SELECT id, person_id AS personId, chain_seq AS seq, ledger_year AS year FROM hour_entries WHERE external_id = 'c-2'",
    );
    await test.dataSource.query('DROP TRIGGER hour_entries_no_update');
    await test.dataSource.query('UPDATE hour_entries SET hours_tenths = hours_tenths + 100 WHERE id = ?', [target.id]);

    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.brokenChains).toBe(1);
    expect(report.firstBrokenLink).toMatchObject({ personId: target.personId, entryId: target.id, chainSeq: target.seq, reason: expect.stringContaining('chain hash does not match') });
    expect(report.yearTotalMismatches).toEqual([expect.objectContaining({ personId: target.personId, year: target.year })]);

    const cli = await verifyCli();
    expect(cli.code).toBe(1);
    expect(cli.report.firstBrokenLink.entryId).toBe(target.id);
  });
});
