import { Injectable } from '@nestjs/common';
import { InvalidRequestError } from '../common/domain-error.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { type Decision, type EligibilityRequest, evaluate, EvaluationInputError } from '../rules/engine/index.js';
import { inputFieldErrors, RuleSetsService } from '../rules/rule-sets.service.js';

/** Eligibility now, not stored: the rule set in force, the person's year totals, the pure evaluator. */
@Injectable()
export class EligibilityService {
  constructor(
    private readonly ruleSets: RuleSetsService,
    private readonly ledger: LedgerService,
  ) {}

  async decide(personKey: Buffer, request: EligibilityRequest): Promise<Decision> {
    const ruleSet = this.ruleSets.inForce(request.city, request.applicationYear);
    const totals = await this.ledger.yearTotals(personKey);
    try {
      return evaluate(ruleSet, request, totals);
    } catch (error) {
      if (error instanceof EvaluationInputError) throw new InvalidRequestError(inputFieldErrors(error));
      throw error;
    }
  }
}
