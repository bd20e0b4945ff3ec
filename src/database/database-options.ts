import { createConnection } from 'mysql2/promise';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ApiClientEntity } from '../admin/api-client.entity';
import { ProviderEntity } from '../admin/provider.entity';
import { HourEntryEntity } from '../ledger/hour-entry.entity';
import { PersonEntity } from '../ledger/person.entity';
import { YearTotalEntity } from '../ledger/year-total.entity';

export const ENTITIES = [ProviderEntity, ApiClientEntity, PersonEntity, HourEntryEntity, YearTotalEntity];

/** Migrations sit at the top level, beside src; this resolves them from src/ and from dist/src/ alike. */
const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'mysql',
    url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'schema_migrations',
    poolSize,
    extra: { connectionLimit: poolSize },
  };
}

/** Creates the database named in the URL if it is missing (the server must be reachable). */
export async function ensureDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = databaseName(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Unsupported database name "${name}"`);
  const connection = await createConnection({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  });
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}
