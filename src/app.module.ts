import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { validateEnvironment } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LedgerModule } from './ledger/ledger.module';
import { RedisModule } from './redis/redis.module';

@Module({})
export class AppModule {
  /** Built when called, so that the environment is read at start (tests set it per suite). */
  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment }),
        DatabaseModule,
        RedisModule,
        AuthModule,
        AdminModule,
        LedgerModule,
        HealthModule,
      ],
    };
  }
}
