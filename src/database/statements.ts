import type { Pool, PoolConnection } from 'mysql2';
import { type DataSource, QueryFailedError } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver.js';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';
import { isTransientLockError, retrying } from './transactions.js';

/**
 * SQL to send, and how its results read. One statement may stand for several (a long IN list in
 * parts, see `chunk`), each with its own values: `read` gets each part's result, in order; `sql` may
 * be empty (nothing to do).
 */
export interface Statement<T> {
  sql: string[];
  /** The values of each part of `sql`, in the same order. */
  params: unknown[][];
  read: (results: unknown[]) => T;
}

/** One SQL text with its values, or several parts with the values of each. */
export function statement<T = void>(sql: string, params?: unknown[], read?: (results: any[]) => T): Statement<T>;
export function statement<T = void>(sql: string[], params?: unknown[][], read?: (results: any[]) => T): Statement<T>;
export function statement<T = void>(sql: string | string[], params: unknown[] = [], read: (results: any[]) => T = () => undefined as T): Statement<T> {
  return typeof sql === 'string' ? { sql: [sql], params: [params], read } : { sql, params: sql.map((_, at) => (params as unknown[][])[at] ?? []), read };
}

/** Something that runs SQL: an EntityManager (inside a TypeORM transaction or not) or a QueryRunner. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

type Results<S extends readonly Statement<unknown>[]> = { [K in keyof S]: S[K] extends Statement<infer T> ? T : never };

/**
 * Whether several statements go in one query. Not on a Galera cluster: there a transaction that a
 * replicated writeset aborts in the middle of a multi-statement query can still be answered OK — the
 * service acknowledged entries that no node holds (test/cluster: two APIs posting the same externalIds
 * through two nodes). The database module sets it when it finds `wsrep_on`.
 */
let together = true;
export function sendStatementsTogether(value: boolean): void {
  together = value;
}

/**
 * Sends the statements in one round trip (the pool's connections accept several statements a query,
 * every one of them with placeholders) and reads each one's results. A round trip costs more than a
 * small statement: a write to the ledger is two of them, not ten. On Galera, one query each, in order.
 */
export async function runTogether<S extends readonly Statement<unknown>[]>(db: Queryable, ...statements: S): Promise<Results<S>> {
  const sql = statements.flatMap((s) => s.sql);
  const params = statements.flatMap((s) => s.params);
  let results: unknown[];
  if (together || sql.length < 2) {
    const raw: unknown = sql.length === 0 ? [] : await db.query(sql.join(';\n'), params.flat(1));
    // mysql2 answers a single statement with its result, several with an array of them.
    results = sql.length === 1 ? [raw] : (raw as unknown[]);
  } else {
    results = [];
    for (const [at, one] of sql.entries()) results.push(await db.query(one, params[at]));
  }
  let at = 0;
  return statements.map((s) => s.read(results.slice(at, (at += s.sql.length)))) as Results<S>;
}

/** A transaction whose statements go in as few round trips as the work allows. */
export interface RoundTripTransaction {
  /** Sends the statements in one round trip; the first call begins the transaction in the same one. */
  run<S extends readonly Statement<unknown>[]>(...statements: S): Promise<Results<S>>;
  /** Sends the statements and COMMIT in one round trip: the transaction's last call. */
  commit<S extends readonly Statement<unknown>[]>(...statements: S): Promise<Results<S>>;
}

export interface RoundTripOptions {
  isolation?: IsolationLevel;
  /** Errors after which the work runs again in a new transaction (deadlocks and lock waits by default). */
  retryable?: (error: unknown) => boolean;
  attempts?: number;
}

/**
 * Runs `work` in a transaction it drives by round trips (`run`, then `commit`), again on a retryable
 * error; `attempt` counts from 1. Work that returns without `commit` is committed after it, work that
 * throws is rolled back.
 */
export function inRoundTrips<T>(dataSource: DataSource, options: RoundTripOptions, work: (tx: RoundTripTransaction, attempt: number) => Promise<T>): Promise<T> {
  const retryable = options.retryable ?? isTransientLockError;
  return retrying(
    (attempt) => attemptInRoundTrips(dataSource, options.isolation, work, attempt),
    (error) => !(error instanceof Object && thrownAfterCommit.has(error)) && retryable(error),
    options.attempts,
  );
}

/** Errors that work threw after its COMMIT went through: never retried, since the work must not run twice. */
const thrownAfterCommit = new WeakSet<object>();

async function attemptInRoundTrips<T>(
  dataSource: DataSource,
  isolation: IsolationLevel | undefined,
  work: (tx: RoundTripTransaction, attempt: number) => Promise<T>,
  attempt: number,
): Promise<T> {
  const connection = await pooledConnection(dataSource);
  // An object, not a variable: the closures below change it, and TypeScript would not see them do it.
  const progress: { state: 'not begun' | 'open' | 'committed' } = { state: 'not begun' };
  const begin = statement([...(isolation ? [`SET TRANSACTION ISOLATION LEVEL ${isolation}`] : []), 'START TRANSACTION']);
  const send = async <S extends readonly Statement<unknown>[]>(statements: S, end: Statement<void>[]): Promise<Results<S>> => {
    if (progress.state === 'committed') throw new Error('The transaction is committed already');
    const opening = progress.state === 'not begun';
    progress.state = 'open';
    const results = await runTogether(connection, ...(opening ? [begin] : []), ...statements, ...end);
    return results.slice(opening ? 1 : 0, (opening ? 1 : 0) + statements.length) as Results<S>;
  };
  const tx: RoundTripTransaction = {
    run: (...statements) => send(statements, []),
    commit: async (...statements) => {
      const results = await send(statements, [statement('COMMIT')]);
      progress.state = 'committed';
      return results;
    },
  };
  try {
    const value = await work(tx, attempt);
    if (progress.state === 'open') await tx.commit();
    return value;
  } catch (error) {
    if (progress.state === 'open') await connection.query('ROLLBACK').catch(() => undefined);
    if (progress.state === 'committed' && error instanceof Object) thrownAfterCommit.add(error);
    throw error;
  } finally {
    connection.release();
  }
}

/** A connection of TypeORM's pool, released by `release()`. */
interface PooledQueryable extends Queryable {
  release(): void;
}

/**
 * A connection taken straight from the pool TypeORM keeps: the posting path's queries skip the query
 * runner's per-query work (its events, a copy of the results, a module lookup per query);
 * failures are TypeORM's QueryFailedError all the same, so that one classification reads them.
 */
async function pooledConnection(dataSource: DataSource): Promise<PooledQueryable> {
  const pool = (dataSource.driver as MysqlDriver).pool as Pool;
  const connection = await new Promise<PoolConnection>((resolve, reject) => pool.getConnection((error, taken) => (error ? reject(error) : resolve(taken))));
  return {
    query: (sql, params) =>
      new Promise((resolve, reject) => connection.query(sql, params, (error, rows) => (error ? reject(new QueryFailedError(sql, params, error)) : resolve(rows)))),
    release: () => connection.release(),
  };
}
