import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { casesFileOf, loadCaseFile, runCase } from '../../../src/rules/rule-cases.js';
import { isRuleSetFile, loadRuleSets } from '../../../src/rules/rule-set-loader.js';

/**
 * Runs the cases beside each rule set (config/rules/<id>.cases.yaml): data that a reader can hold
 * against the seed notices, each case quoting the sentence it restates. `npm run rules:check` runs
 * the same for one file.
 */
const directory = join(import.meta.dirname, '..', '..', '..', 'config', 'rules');
const ruleSets = loadRuleSets(directory);
const caseFiles = readdirSync(directory)
  .filter(isRuleSetFile)
  .map((name) => loadCaseFile(casesFileOf(join(directory, name))));

it('has cases for every rule set', () => {
  expect(caseFiles.map((file) => file.ruleSet).sort()).toEqual(ruleSets.map((ruleSet) => ruleSet.id).sort());
});

describe.each(caseFiles.map((file) => [file.ruleSet, file] as const))('%s', (_id, file) => {
  it.each(file.cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    expect(runCase(ruleSets, file, testCase)).toEqual([]);
  });
});
