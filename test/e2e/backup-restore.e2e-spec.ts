import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { entry } from '../support/entries.js';
import { freeMariaDbPort, TestMariaDb } from '../support/mariadb-server.js';
import { bearer, createProvider, startTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
const DATABASE = 'ce_ledger_test_backup';
const TOTALS_SQL = 'SELECT ledger_year, SUM(professional_tenths), SUM(general_public_tenths), SUM(industry_public_tenths), SUM(entry_count) FROM year_totals GROUP BY ledger_year ORDER BY ledger_year';

/**
 * The runbook's backup and restore (docs/ops/RUNBOOK.md): a hot mariabackup of a server the service is
 * writing to, restored into a fresh directory with the binary logs replayed up to a point in time; the
 * restored ledger's totals are those of that moment, its chains and totals hold; a wrong expectation fails.
 */
describe('backup and point-in-time restore (scripts/ops)', () => {
  const server = new TestMariaDb(freeMariaDbPort(11), { binlog: true });
  const scratch = mkdtempSync(join(tmpdir(), 'ce-backup-test-'));
  let test: TestApp;
  let provider: string;

  beforeAll(async () => {
    await server.install();
    await server.start();
    test = await startTestApp('backup', { DATABASE_URL: server.url(DATABASE) });
    provider = (await createProvider(test, 'backup-provider')).apiKey;
  });
  afterAll(async () => {
    await test?.close();
    await server.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  const post = (ids: string[], year: number) =>
    test
      .http()
      .post('/api/v1/hours/batch')
      .set(bearer(provider))
      .send({ entries: ids.map((id, i) => entry(id, { completedOn: `${year}-0${(i % 9) + 1}-15`, category: i % 3 === 0 ? 'general_public' : 'professional' }, 1 + (i % 7))) })
      .expect(201);
  const totalsNow = async () => (await run('mariadb', ['--no-defaults', '-h', '127.0.0.1', '-P', String(server.port), '-u', 'root', '--batch', '--skip-column-names', DATABASE, '-e', TOTALS_SQL])).stdout.trim();
  const restoreCheck = (args: string[]) => run('bash', ['scripts/ops/restore-check.sh', ...args], { cwd: process.cwd() }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

  it('restores a hot backup, and replays the binary log to a moment: totals as they were then, chains and totals intact', async () => {
    await post(Array.from({ length: 40 }, (_, i) => `a-${i}`), 2023);
    const backup = join(scratch, 'backup');
    await run('bash', ['scripts/ops/backup.sh', backup, '--host=127.0.0.1', `--port=${server.port}`, '--user=root']);
    const atBackup = await totalsNow();

    await post(Array.from({ length: 30 }, (_, i) => `b-${i}`), 2024);
    const afterB = await totalsNow();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const moment = (await run('date', ['+%F %T'])).stdout.trim(); // mariadb-binlog reads --stop-datetime in local time
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const late = await post(Array.from({ length: 20 }, (_, i) => `c-${i}`), 2025);
    await test.http().post(`/api/v1/hours/${late.body.entries[0].id}/reversal`).set(bearer(provider)).send({ reason: '登记错误' }).expect(201);
    const atEnd = await totalsNow();
    expect(new Set([atBackup, afterB, atEnd]).size).toBe(3);

    const expected = join(scratch, 'expected.tsv');
    writeFileSync(expected, afterB);
    const pointInTime = await restoreCheck([backup, '--database', DATABASE, '--binlog-dir', server.binlogDirectory, '--stop-datetime', moment, '--expect', expected]);
    expect(pointInTime.stderr).toContain('restore check passed');
    expect({ code: pointInTime.code, totals: pointInTime.stdout.trim() }).toEqual({ code: 0, totals: afterB });

    const backupOnly = await restoreCheck([backup, '--database', DATABASE]);
    expect({ code: backupOnly.code, totals: backupOnly.stdout.trim() }).toEqual({ code: 0, totals: atBackup });

    const everything = await restoreCheck([backup, '--database', DATABASE, '--binlog-dir', server.binlogDirectory]);
    expect({ code: everything.code, totals: everything.stdout.trim() }).toEqual({ code: 0, totals: atEnd });

    // The check can fail: the totals of the end are not those of the moment.
    writeFileSync(expected, atEnd);
    const wrong = await restoreCheck([backup, '--database', DATABASE, '--binlog-dir', server.binlogDirectory, '--stop-datetime', moment, '--expect', expected]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('totals differ from');
  }, 120_000);
});
