import { Module } from '@nestjs/common';
import { HoursController } from './hours.controller.js';
import { LedgerController } from './ledger.controller.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerService } from './ledger.service.js';
import { NameChangesController } from './name-changes.controller.js';

@Module({
  controllers: [HoursController, LedgerController, NameChangesController],
  providers: [LedgerService, LedgerRepository],
  exports: [LedgerService],
})
export class LedgerModule {}
