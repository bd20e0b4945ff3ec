import { Module } from '@nestjs/common';
import { HoursController } from './hours.controller.js';
import { LedgerController } from './ledger.controller.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerService } from './ledger.service.js';
import { NameChangesController } from './name-changes.controller.js';
import { LedgerVerificationController } from './ledger-verification.controller.js';
import { LedgerVerifier } from './ledger-verifier.js';

@Module({
  controllers: [HoursController, LedgerController, NameChangesController, LedgerVerificationController],
  providers: [LedgerService, LedgerRepository, LedgerVerifier],
  exports: [LedgerService],
})
export class LedgerModule {}
