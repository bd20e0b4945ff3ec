import { Module } from '@nestjs/common';
import { RuleSetsService } from './rule-sets.service.js';
import { RulesController } from './rules.controller.js';

@Module({
  controllers: [RulesController],
  providers: [RuleSetsService],
  exports: [RuleSetsService],
})
export class RulesModule {}
