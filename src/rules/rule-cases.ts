import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { hoursToTenths } from '../common/hours.js';
import { type EligibilityRequest, evaluate, EvaluationInputError, type RuleSet, selectRuleSet, type YearTotals } from './engine/index.js';
import { RuleSetConfigError } from './rule-set-loader.js';

/**
 * A rule set's cases (config/rules/<id>.cases.yaml, beside the rule set, as OpenFisca keeps its
 * tests beside its parameters): each restates a sentence of the notice as request + ledger →
 * expected decision, quoting the sentence. `npm test` and `npm run rules:check` run them.
 */
type Hours = number | number[];
type Ledger = Record<string, { professional?: Hours; generalPublic?: Hours; industryPublic?: Hours }>;

export interface RuleCase {
  name: string;
  seed: string;
  request?: Record<string, unknown>;
  ledger?: Ledger;
  expect: { decision?: string; summary?: string; checks?: object[]; notes?: string[]; notesContain?: string; inputError?: string };
}

export interface RuleCaseFile {
  ruleSet: string;
  defaults: { request: Record<string, unknown>; ledger?: Ledger };
  cases: RuleCase[];
}

const hours = { oneOf: [{ type: 'number' }, { type: 'array', items: { type: 'number' } }] };
const ledger = {
  type: 'object',
  propertyNames: { pattern: '^\\d{4}$' },
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: { professional: hours, generalPublic: hours, industryPublic: hours },
  },
};

/** The JSON Schema of a cases file. */
export const RULE_CASES_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['ruleSet', 'defaults', 'cases'],
  properties: {
    ruleSet: { type: 'string', minLength: 1 },
    defaults: { type: 'object', additionalProperties: false, required: ['request'], properties: { request: { type: 'object' }, ledger } },
    cases: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'seed', 'expect'],
        properties: {
          name: { type: 'string', minLength: 1 },
          seed: { type: 'string', minLength: 1 },
          request: { type: 'object' },
          ledger,
          expect: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              decision: { enum: ['eligible', 'ineligible', 'undetermined'] },
              summary: { type: 'string' },
              checks: { type: 'array', items: { type: 'object' } },
              notes: { type: 'array', items: { type: 'string' } },
              notesContain: { type: 'string' },
              inputError: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;

const validateCases = new Ajv({ allErrors: true }).compile<RuleCaseFile>(RULE_CASES_SCHEMA);

/** `config/rules/lishui-2024.yaml` → `config/rules/lishui-2024.cases.yaml`. */
export const casesFileOf = (ruleSetFile: string): string => ruleSetFile.replace(/\.ya?ml$/, '.cases.yaml');

export function loadCaseFile(file: string): RuleCaseFile {
  if (!existsSync(file)) throw new RuleSetConfigError(`${file}: missing; every rule set comes with its cases`);
  const data: unknown = parse(readFileSync(file, 'utf8'), { merge: true });
  if (!validateCases(data)) {
    throw new RuleSetConfigError(`${file}: ${(validateCases.errors ?? []).map((e) => `${e.instancePath || '(top level)'}: ${e.message}`).join('; ')}`);
  }
  return data;
}

/** Hours as a case writes them (several entries as a list) → exact tenths. */
function tenths(value: Hours | undefined): number {
  return [value ?? []].flat().reduce((sum, one) => {
    const exact = hoursToTenths(one);
    if (exact === null) throw new RuleSetConfigError(`a case has ${one} hours: at most one decimal`);
    return sum + exact;
  }, 0);
}

export const totalsOf = (of: Ledger): YearTotals[] =>
  Object.entries(of).map(([year, h]) => ({
    year: Number(year),
    professional: tenths(h.professional),
    generalPublic: tenths(h.generalPublic),
    industryPublic: tenths(h.industryPublic),
  }));

/** The case's request: the defaults overridden by the case; `null` removes a default. */
export function requestOf(file: RuleCaseFile, testCase: RuleCase): EligibilityRequest {
  const merged: Record<string, unknown> = { ...file.defaults.request, ...testCase.request };
  for (const key of Object.keys(merged)) if (merged[key] === null) delete merged[key];
  return merged as unknown as EligibilityRequest;
}

/** Whether `actual` holds everything `expected` names (objects partially, arrays element by element). */
function holds(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => holds(actual[i], item));
  if (expected !== null && typeof expected === 'object') {
    return actual !== null && typeof actual === 'object' && Object.entries(expected).every(([key, value]) => holds((actual as Record<string, unknown>)[key], value));
  }
  return Object.is(actual, expected);
}

/** Runs one case against the rule sets; what went wrong, or nothing. */
export function runCase(ruleSets: readonly RuleSet[], file: RuleCaseFile, testCase: RuleCase): string[] {
  const request = requestOf(file, testCase);
  const ruleSet = selectRuleSet(ruleSets, request.city, request.applicationYear);
  if (ruleSet.id !== file.ruleSet) return [`the request is judged by ${ruleSet.id}, not ${file.ruleSet}`];
  const totals = totalsOf({ ...file.defaults.ledger, ...testCase.ledger });
  const expected = testCase.expect;

  if (expected.inputError) {
    try {
      evaluate(ruleSet, request, totals);
      return [`expected the request to lack ${expected.inputError}, but it was decided`];
    } catch (error) {
      if (!(error instanceof EvaluationInputError)) throw error;
      const paths = error.errors.map((e) => e.path);
      return paths.length === 1 && paths[0] === expected.inputError ? [] : [`expected input error at ${expected.inputError}, got ${paths.join(', ')}`];
    }
  }

  const decision = evaluate(ruleSet, request, totals);
  const problems: string[] = [];
  const show = (value: unknown) => JSON.stringify(value);
  if (expected.decision && decision.decision !== expected.decision) problems.push(`decision ${decision.decision}, expected ${expected.decision}`);
  if (expected.summary !== undefined && decision.summary !== expected.summary) problems.push(`summary ${show(decision.summary)}, expected ${show(expected.summary)}`);
  if (expected.checks && !holds(decision.checks, expected.checks)) problems.push(`checks ${show(decision.checks)} do not hold ${show(expected.checks)}`);
  if (expected.notes && !holds(decision.notes, expected.notes)) problems.push(`notes ${show(decision.notes)}, expected ${show(expected.notes)}`);
  if (expected.notesContain && !decision.notes.join('\n').includes(expected.notesContain)) problems.push(`no note contains ${show(expected.notesContain)}`);
  // Every check cites its source, and an hours check passes exactly when nothing is missing (or it is deemed).
  for (const check of decision.checks) {
    if (!check.citation.quote) problems.push(`check ${check.code} cites nothing`);
    if (check.code !== 'EXAM_SERIES' && check.passed !== (check.deemed === true || Object.values(check.shortfall).every((value) => value === 0))) {
      problems.push(`check ${check.code} passed=${check.passed} disagrees with its shortfall ${show(check.shortfall)}`);
    }
  }
  return problems;
}
