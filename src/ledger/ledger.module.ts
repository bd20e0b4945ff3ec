import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HourEntryEntity } from './hour-entry.entity.js';
import { PersonNameChangeEntity } from './person-name-change.entity.js';
import { PersonEntity } from './person.entity.js';
import { YearTotalEntity } from './year-total.entity.js';
import { HoursController } from './hours.controller.js';
import { LedgerController } from './ledger.controller.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerService } from './ledger.service.js';
import { NameChangesController } from './name-changes.controller.js';
import { LedgerVerificationController } from './ledger-verification.controller.js';
import { LedgerVerifier } from './ledger-verifier.js';

@Module({
  imports: [TypeOrmModule.forFeature([PersonEntity, PersonNameChangeEntity, HourEntryEntity, YearTotalEntity])],
  controllers: [HoursController, LedgerController, NameChangesController, LedgerVerificationController],
  providers: [LedgerService, LedgerRepository, LedgerVerifier],
  exports: [LedgerService],
})
export class LedgerModule {}
