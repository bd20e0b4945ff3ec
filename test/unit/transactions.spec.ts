import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { transactionWithRetry } from '../../src/database/transactions.js';

const failure = (code: string, errno: number) => new QueryFailedError('COMMIT', [], Object.assign(new Error(code), { code, errno }));

/** A DataSource whose transactions fail with these errors, one an attempt, then succeed. */
function failingThen(errors: Error[]) {
  const attempts: number[] = [];
  const dataSource = {
    transaction: async <T>(work: (manager: EntityManager) => Promise<T>) => {
      attempts.push(attempts.length + 1);
      const error = errors[attempts.length - 1];
      if (error) throw error;
      return work({} as EntityManager);
    },
  } as unknown as DataSource;
  return { dataSource, attempts };
}

describe('transactionWithRetry', () => {
  it('runs the work again after a Galera certification conflict or a lock-wait time-out', async () => {
    const { dataSource, attempts } = failingThen([failure('ER_LOCK_DEADLOCK', 1213), failure('ER_LOCK_WAIT_TIMEOUT', 1205)]);
    await expect(transactionWithRetry(dataSource, async () => 'done')).resolves.toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('gives up after five attempts, with the last error', async () => {
    const { dataSource, attempts } = failingThen(Array.from({ length: 6 }, () => failure('ER_LOCK_DEADLOCK', 1213)));
    await expect(transactionWithRetry(dataSource, async () => 'done')).rejects.toBeInstanceOf(QueryFailedError);
    expect(attempts).toHaveLength(5);
  });

  it('does not run the work again after any other error', async () => {
    const { dataSource, attempts } = failingThen([failure('ER_DUP_ENTRY', 1062)]);
    await expect(transactionWithRetry(dataSource, async () => 'done')).rejects.toBeInstanceOf(QueryFailedError);
    expect(attempts).toEqual([1]);
  });

  /** On a cluster any transaction may end in a certification conflict: none may go without the retry. */
  it('is how every transaction outside src/database begins', () => {
    const src = join(import.meta.dirname, '..', '..', 'src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts') && !name.startsWith('database'));
    const direct = files.filter((name) => /\.transaction\(|startTransaction\(/.test(readFileSync(join(src, name), 'utf8')));
    expect(direct.map((name) => relative(src, join(src, name)))).toEqual([]);
  });
});
