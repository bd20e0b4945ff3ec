import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AdminModule } from './admin/admin.module.js';
import { AuditModule } from './audit/audit.module.js';
import { KeysModule } from './keys/keys.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CertificationModule } from './certification/certification.module.js';
import { validateEnvironment } from './config/environment.js';
import { DatabaseModule } from './database/database.module.js';
import { EligibilityModule } from './eligibility/eligibility.module.js';
import { HealthModule } from './health/health.module.js';
import { HoursCertificatesModule } from './hours-certificates/hours-certificates.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RedisModule } from './redis/redis.module.js';
import { RulesModule } from './rules/rules.module.js';
import { SelfReportsModule } from './self-reports/self-reports.module.js';

@Module({})
export class AppModule {
  /**
   * Built when called, so that the environment is read at start (tests set it per suite). With
   * `workers` the process also runs the queue workers.
   */
  static forRoot(options: { workers: boolean }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment }),
        DatabaseModule,
        MetricsModule,
        RedisModule,
        QueueModule,
        AuthModule,
        AuditModule,
        KeysModule,
        AdminModule,
        LedgerModule,
        RulesModule,
        EligibilityModule,
        CertificationModule.register({ workers: options.workers }),
        HoursCertificatesModule,
        ImportsModule.register({ workers: options.workers }),
        SelfReportsModule.register({ workers: options.workers }),
        HealthModule,
      ],
    };
  }
}
