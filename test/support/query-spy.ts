import type { Pool, PoolConnection } from 'mysql2';
import type { DataSource } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver.js';

/**
 * Every query sent on the data source's pool from now on, in order: whether TypeORM's query runners
 * send it or the posting path (which takes its connections from the same pool). One query is one
 * round trip; clear the array to start counting again.
 */
export function spyOnQueries(dataSource: DataSource): string[] {
  const queries: string[] = [];
  const pool = (dataSource.driver as MysqlDriver).pool as Pool;
  const spied = new WeakSet<PoolConnection>();
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback) =>
    getConnection((error, connection) => {
      if (connection && !spied.has(connection)) {
        spied.add(connection);
        const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
        (connection as { query: unknown }).query = (sql: string | { sql: string }, ...rest: unknown[]) => (queries.push(typeof sql === 'string' ? sql : sql.sql), query(sql, ...rest));
      }
      callback(error, connection);
    });
  return queries;
}
