import { Injectable } from '@nestjs/common';
import { InvalidRequestError } from '../common/domain-error.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { todayInChina } from '../common/china-date.js';
import { type Decision, type EligibilityRequest, evaluate, EvaluationInputError, plan, type Plan, type RuleSet, type YearTotals } from '../rules/engine/index.js';
import { inputFieldErrors, RuleSetsService } from '../rules/rule-sets.service.js';

/** Eligibility now, not stored: the rule set in force, the person's year totals, the pure evaluator. */
@Injectable()
export class EligibilityService {
  constructor(
    private readonly ruleSets: RuleSetsService,
    private readonly ledger: LedgerService,
  ) {}

  decide(personKey: Buffer, request: EligibilityRequest): Promise<Decision> {
    return this.withTotals(personKey, request, (ruleSet, totals) => evaluate(ruleSet, request, totals));
  }

  /** What is still to earn, from this year (China time) to the application year. */
  plan(personKey: Buffer, request: EligibilityRequest): Promise<Plan> {
    const currentYear = Number(todayInChina().slice(0, 4));
    return this.withTotals(personKey, request, (ruleSet, totals) => plan(ruleSet, request, totals, currentYear));
  }

  private async withTotals<T>(personKey: Buffer, request: EligibilityRequest, run: (ruleSet: RuleSet, totals: YearTotals[]) => T): Promise<T> {
    const ruleSet = this.ruleSets.forRequest(request);
    const totals = await this.ledger.yearTotals(personKey);
    try {
      return run(ruleSet, totals);
    } catch (error) {
      if (error instanceof EvaluationInputError) throw new InvalidRequestError(inputFieldErrors(error));
      throw error;
    }
  }
}
