import { Module } from '@nestjs/common';
import { RuleSetsService } from './rule-sets.service.js';

/** The loaded rule sets, for the modules that evaluate or publish them (rules/ serves no routes: it is a floor). */
@Module({
  providers: [RuleSetsService],
  exports: [RuleSetsService],
})
export class RulesModule {}
