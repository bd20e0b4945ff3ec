import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { hoursToTenths } from '../../../src/common/hours.js';
import { type EligibilityRequest, evaluate, EvaluationInputError, selectRuleSet, type YearTotals } from '../../../src/rules/engine/index.js';
import { loadRuleSets } from '../../../src/rules/rule-set-loader.js';

/**
 * Runs the table-driven cases of test/rules-cases/*.yaml: data that a reader can hold against the
 * seed notices, each case quoting the sentence it restates.
 */
type Hours = number | number[];
type Ledger = Record<string, { professional?: Hours; generalPublic?: Hours; industryPublic?: Hours }>;
interface Case {
  name: string;
  seed: string;
  request?: Partial<Record<keyof EligibilityRequest, unknown>>;
  ledger?: Ledger;
  expect: { decision?: string; checks?: object[]; notes?: string[]; notesContain?: string; inputError?: string };
}
interface CaseFile {
  ruleSet: string;
  defaults: { request: EligibilityRequest; ledger: Ledger };
  cases: Case[];
}

const root = join(import.meta.dirname, '..', '..', '..');
const ruleSets = loadRuleSets(join(root, 'config', 'rules'));
const caseDirectory = join(root, 'test', 'rules-cases');
const caseFiles: CaseFile[] = readdirSync(caseDirectory)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => parse(readFileSync(join(caseDirectory, name), 'utf8'), { merge: true }));

/** Hours as the case writes them (several entries as a list) → exact tenths. */
function tenths(hours: Hours | undefined): number {
  return [hours ?? []].flat().reduce((sum, value) => {
    const exact = hoursToTenths(value);
    if (exact === null) throw new Error(`A case has ${value} hours: at most one decimal`);
    return sum + exact;
  }, 0);
}

const totalsOf = (ledger: Ledger): YearTotals[] =>
  Object.entries(ledger).map(([year, hours]) => ({
    year: Number(year),
    professional: tenths(hours.professional),
    generalPublic: tenths(hours.generalPublic),
    industryPublic: tenths(hours.industryPublic),
  }));

function requestOf(file: CaseFile, testCase: Case): EligibilityRequest {
  const merged: Record<string, unknown> = { ...file.defaults.request, ...testCase.request };
  for (const key of Object.keys(merged)) if (merged[key] === null) delete merged[key];
  return merged as unknown as EligibilityRequest;
}

it('has cases for every rule set', () => {
  expect(caseFiles.map((file) => file.ruleSet).sort()).toEqual(ruleSets.map((ruleSet) => ruleSet.id).sort());
});

describe.each(caseFiles.map((file) => [file.ruleSet, file] as const))('%s', (_id, file) => {
  it.each(file.cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    expect(testCase.seed).toBeTruthy();
    const request = requestOf(file, testCase);
    const ruleSet = selectRuleSet(ruleSets, request.city, request.applicationYear);
    expect(ruleSet.id).toBe(file.ruleSet);
    const totals = totalsOf({ ...file.defaults.ledger, ...testCase.ledger });
    const expected = testCase.expect;

    if (expected.inputError) {
      let thrown: unknown;
      try {
        evaluate(ruleSet, request, totals);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(EvaluationInputError);
      expect((thrown as EvaluationInputError).errors.map((e) => e.path)).toEqual([expected.inputError]);
      return;
    }

    const decision = evaluate(ruleSet, request, totals);
    expect(decision.decision).toBe(expected.decision);
    expect(decision.ruleSet).toEqual({ id: ruleSet.id, city: ruleSet.city, effectiveFrom: ruleSet.effectiveFrom, citation: ruleSet.citation });
    if (expected.checks) {
      expect(decision.checks).toHaveLength(expected.checks.length);
      expected.checks.forEach((check, index) => expect(decision.checks[index]).toMatchObject(check));
    }
    if (expected.notes) expect(decision.notes).toEqual(expected.notes);
    if (expected.notesContain) expect(decision.notes.join('\n')).toContain(expected.notesContain);
    // Every check cites its source, and an hours check passes exactly when nothing is missing (or it is deemed).
    for (const check of decision.checks) {
      expect(check.citation.quote.length).toBeGreaterThan(0);
      if (check.code !== 'EXAM_SERIES') {
        expect(check.passed).toBe(check.deemed === true || Object.values(check.shortfall).every((value) => value === 0));
      }
    }
  });
});
