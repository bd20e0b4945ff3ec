import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { EligibilityController } from './eligibility.controller.js';
import { EligibilityService } from './eligibility.service.js';
import { RulesController } from './rules.controller.js';

@Module({
  imports: [LedgerModule, RulesModule],
  controllers: [EligibilityController, RulesController],
  providers: [EligibilityService],
  exports: [EligibilityService],
})
export class EligibilityModule {}
