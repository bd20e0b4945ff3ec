import { Injectable } from '@nestjs/common';
import { join } from 'node:path';
import { InvalidRequestError, NotFoundError } from '../common/domain-error.js';
import { projectRoot } from '../common/project-root.js';
import { NoRuleSetError, type RuleSet, selectRuleSet } from './engine/index.js';
import { loadRuleSets } from './rule-set-loader.js';

export const RULES_DIRECTORY = join(projectRoot(), 'config', 'rules');

/**
 * The published rule sets, loaded and validated once at start: a bad file stops the start with a
 * message naming the file and the key.
 */
@Injectable()
export class RuleSetsService {
  private readonly ruleSets: readonly RuleSet[] = loadRuleSets(RULES_DIRECTORY);

  all(): readonly RuleSet[] {
    return this.ruleSets;
  }

  byId(id: string): RuleSet {
    const ruleSet = this.ruleSets.find((candidate) => candidate.id === id);
    if (!ruleSet) throw new NotFoundError('RULES.NOT_FOUND', `No rule set "${id}".`);
    return ruleSet;
  }

  /** The rule set in force for the city and application year, or a 422 that names both. */
  inForce(city: string, applicationYear: number): RuleSet {
    try {
      return selectRuleSet(this.ruleSets, city, applicationYear);
    } catch (error) {
      if (!(error instanceof NoRuleSetError)) throw error;
      const cities = [...new Set(this.ruleSets.map((r) => r.city))].sort().join(', ');
      throw new InvalidRequestError(
        [
          error.firstEffective === null
            ? { path: 'city', message: `unknown city "${city}"; rule sets exist for ${cities}` }
            : { path: 'applicationYear', message: error.message },
        ],
        error.message,
      );
    }
  }
}
