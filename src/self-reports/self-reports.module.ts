import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from '../admin/admin.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { loadActivityTypes } from './activity-types.js';
import { ActivitiesRepository } from './activities.repository.js';
import { DatabaseEvidenceStore, EvidenceStore } from './evidence-store.js';
import { NotificationQueue, NotificationWorkers } from './notifications.js';
import {
  ActivityEntity,
  ActivityEvidenceEntity,
  ActivityNotificationEntity,
  ActivityStepEntity,
  EvidenceFileChunkEntity,
  EvidenceFileEntity,
} from './self-report.entities.js';
import { ReviewsController, SelfReportsController } from './self-reports.controller.js';
import { ACTIVITY_TYPES, SelfReportsService } from './self-reports.service.js';

/** 学时申报: reports with evidence, the review chain, and the notifications of status changes (its own queue and worker). */
@Module({})
export class SelfReportsModule {
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: SelfReportsModule,
      imports: [
        TypeOrmModule.forFeature([ActivityEntity, ActivityStepEntity, ActivityEvidenceEntity, EvidenceFileEntity, EvidenceFileChunkEntity, ActivityNotificationEntity]),
        AdminModule,
        LedgerModule,
      ],
      controllers: [SelfReportsController, ReviewsController],
      providers: [
        // Read and validated at start: a bad file stops the process, naming the entry.
        { provide: ACTIVITY_TYPES, useFactory: () => loadActivityTypes() },
        { provide: EvidenceStore, useClass: DatabaseEvidenceStore },
        ActivitiesRepository,
        SelfReportsService,
        NotificationQueue,
        ...(options.workers ? [NotificationWorkers] : []),
      ],
      exports: [NotificationQueue],
    };
  }
}
