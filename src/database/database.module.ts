import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/environment.js';
import { dataSourceOptions, prepareDatabase } from './database-options.js';
import { sendStatementsTogether } from './statements.js';

/**
 * MySQL through TypeORM: the database is created if missing, and migrations run at start unless DB_MIGRATE=false.
 * On a Galera node, statements are sent one query each (database/statements.ts says why).
 * Each capability registers its own entities (forFeature), so this floor imports none of them.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: async (config: ConfigService<AppConfig, true>) => {
        const url = config.get('DATABASE_URL', { infer: true });
        const server = await prepareDatabase(url);
        sendStatementsTogether(!server.galera);
        if (server.galera) new Logger('DatabaseModule').log('A Galera node: a transaction\'s statements go one query each');
        return {
          ...dataSourceOptions(url, server.flavour, config.get('DB_POOL_SIZE', { infer: true })),
          autoLoadEntities: true,
          migrationsRun: config.get('DB_MIGRATE', { infer: true }),
          retryAttempts: 3,
          retryDelay: 1000,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
