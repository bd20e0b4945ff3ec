/**
 * `npm run rules:check <config/rules/<id>.yaml>`: validates a rule set (its schema, its series, its
 * city's other notices) and runs the cases beside it, before it is deployed. Exits 1 on any failure.
 */
import { basename, dirname, join } from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { casesFileOf, loadCaseFile, runCase } from './rule-cases.js';
import { loadRuleSets } from './rule-set-loader.js';
import { loadSeries } from './series.js';

function main(file: string | undefined): number {
  if (!file) {
    console.error('usage: npm run rules:check -- config/rules/<id>.yaml');
    return 2;
  }
  try {
    const series = new Set(loadSeries(join(projectRoot(), 'config', 'series.yaml')).map((s) => s.code));
    const ruleSets = loadRuleSets(dirname(file), series);
    const id = basename(file).replace(/\.ya?ml$/, '');
    if (!ruleSets.some((ruleSet) => ruleSet.id === id)) throw new Error(`${file}: no rule set "${id}" in ${dirname(file)}`);
    const cases = loadCaseFile(casesFileOf(file));
    if (cases.ruleSet !== id) throw new Error(`${casesFileOf(file)}: key "ruleSet" is "${cases.ruleSet}", expected "${id}"`);
    let failed = 0;
    for (const testCase of cases.cases) {
      const problems = runCase(ruleSets, cases, testCase);
      failed += problems.length > 0 ? 1 : 0;
      console.log(`${problems.length ? '✗' : '✓'} ${testCase.name}${problems.map((p) => `\n    ${p}`).join('')}`);
    }
    console.log(`${id}: ${cases.cases.length - failed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

process.exitCode = main(process.argv[2]);
