import { NoRuleSetError, type RuleSet } from './types.js';

/** The rule set of the city with the latest effectiveFrom ≤ the application year. */
export function selectRuleSet(ruleSets: readonly RuleSet[], city: string, applicationYear: number): RuleSet {
  const ofCity = ruleSets.filter((ruleSet) => ruleSet.city === city);
  const inForce = ofCity.filter((ruleSet) => ruleSet.effectiveFrom <= applicationYear);
  if (inForce.length === 0) {
    throw new NoRuleSetError(city, applicationYear, ofCity.length ? Math.min(...ofCity.map((r) => r.effectiveFrom)) : null);
  }
  return inForce.reduce((latest, ruleSet) => (ruleSet.effectiveFrom > latest.effectiveFrom ? ruleSet : latest));
}
