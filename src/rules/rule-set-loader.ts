import { Ajv, type ErrorObject } from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { EDUCATIONS, MEASURES, type RuleSet, TITLE_LEVELS, TRACKS } from './engine/index.js';

/** A rule-set file that does not match the schema: the message names the file and the key. */
export class RuleSetConfigError extends Error {}

const text = { type: 'string', minLength: 1 } as const;
const year = { type: 'integer', minimum: 1990, maximum: 2100 } as const;
const hours = { type: 'number', exclusiveMinimum: 0, maximum: 10000, multipleOf: 0.1 } as const;
const hoursRequirement = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: Object.fromEntries(MEASURES.map((measure) => [measure, hours])),
} as const;
const closed = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', additionalProperties: false, properties, required });

const checkSpec = {
  type: 'object',
  required: ['kind'],
  discriminator: { propertyName: 'kind' },
  oneOf: [
    closed({ kind: { const: 'recent_years_compliant' }, years: { oneOf: [{ type: 'integer', minimum: 1, maximum: 20 }, { const: 'requiredYears' }] } }, ['kind', 'years']),
    closed({ kind: { const: 'compliant_year_count' } }, ['kind']),
    closed(
      {
        kind: { const: 'cumulative_window' },
        years: { type: 'integer', minimum: 1, maximum: 20 },
        minimum: hoursRequirement,
        professionalBySeries: closed({ whenMissing: text }, ['whenMissing']),
      },
      ['kind', 'years', 'minimum'],
    ),
    closed(
      {
        kind: { const: 'initial_determination' },
        table: {
          type: 'array',
          minItems: 1,
          items: closed(
            {
              education: { type: 'array', minItems: 1, items: { enum: EDUCATIONS } },
              titleLevel: { enum: TITLE_LEVELS },
              workYears: { type: 'integer', minimum: 1, maximum: 20 },
              minimum: hoursRequirement,
            },
            ['education', 'titleLevel', 'workYears', 'minimum'],
          ),
        },
        notCovered: text,
      },
      ['kind', 'table', 'notCovered'],
    ),
    closed({ kind: { const: 'exam_series' }, note: text }, ['kind', 'note']),
  ],
};

const trackRule = {
  ...closed(
    {
      when: closed({ titleLevel: { type: 'array', minItems: 1, items: { enum: TITLE_LEVELS } }, education: { type: 'array', minItems: 1, items: { enum: EDUCATIONS } } }, []),
      citation: closed({ section: text, quote: text }, ['section', 'quote']),
      undetermined: text,
      checks: { type: 'array', minItems: 1, items: checkSpec },
    },
    [],
  ),
  // A rule either hands the question elsewhere or checks something, never both or neither.
  oneOf: [{ required: ['undetermined'] }, { required: ['checks'] }],
};

/** The schema every file in config/rules must match: unknown keys are errors, every value has a citation. */
export const RULE_SET_SCHEMA = closed(
  {
    id: { type: 'string', pattern: '^[a-z]+-\\d{4}[a-z0-9-]*$' },
    city: { type: 'string', pattern: '^[a-z_]{2,32}$' },
    cityName: text,
    effectiveFrom: year,
    citation: closed({ document: text, section: text, quote: text }, ['document', 'section', 'quote']),
    parameters: closed(
      {
        annualMinimum: hoursRequirement,
        deemedCompliantBefore: year,
        examSeries: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z_]{1,39}$' }, uniqueItems: true },
        professionalHoursBySeries: { type: 'object', propertyNames: { pattern: '^[a-z][a-z_]{1,39}$' }, additionalProperties: hours },
        notes: { type: 'array', items: text },
        tracks: closed(Object.fromEntries(TRACKS.map((track) => [track, { type: 'array', minItems: 1, items: trackRule }])), []),
      },
      ['tracks'],
    ),
  },
  ['id', 'city', 'cityName', 'effectiveFrom', 'citation', 'parameters'],
);

const validateRuleSet = new Ajv({ allErrors: true, discriminator: true, multipleOfPrecision: 6 }).compile<RuleSet>(RULE_SET_SCHEMA);

function describe(error: ErrorObject): string {
  const at = error.instancePath || '(top level)';
  const params = error.params as Record<string, unknown>;
  if (params.additionalProperty) return `${at}: unknown key "${String(params.additionalProperty)}"`;
  if (params.missingProperty) return `${at}: missing key "${String(params.missingProperty)}"`;
  return `${at}: ${error.message}`;
}

/** Parses and validates one rule-set file. */
export function parseRuleSet(file: string, source: string): RuleSet {
  let data: unknown;
  try {
    data = parse(source);
  } catch (error) {
    throw new RuleSetConfigError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  if (!validateRuleSet(data)) {
    const problems = [...new Set((validateRuleSet.errors ?? []).map(describe))];
    throw new RuleSetConfigError(`${file}: ${problems.join('; ')}`);
  }
  const ruleSet = data;
  if (basename(file).replace(/\.ya?ml$/, '') !== ruleSet.id) {
    throw new RuleSetConfigError(`${file}: key "id" is "${ruleSet.id}" but the file is named otherwise; name it ${ruleSet.id}.yaml`);
  }
  const usesAnnualChecks = Object.values(ruleSet.parameters.tracks)
    .flat()
    .some((rule) => rule?.checks?.some((check) => check.kind === 'recent_years_compliant' || check.kind === 'compliant_year_count'));
  if (usesAnnualChecks && !ruleSet.parameters.annualMinimum) {
    throw new RuleSetConfigError(`${file}: /parameters: missing key "annualMinimum" (its tracks check compliant years)`);
  }
  return ruleSet;
}

/** A rule set's file: any *.yaml of the folder but the cases files beside them (*.cases.yaml). */
export const isRuleSetFile = (name: string): boolean => /\.ya?ml$/.test(name) && !name.endsWith('.cases.yaml');

/**
 * Loads every rule set of the folder; two notices of one city may not share an effectiveFrom, and
 * every series a rule set names must be one of `seriesCodes` (config/series.yaml), when given.
 */
export function loadRuleSets(directory: string, seriesCodes?: ReadonlySet<string>): RuleSet[] {
  const files = readdirSync(directory).filter(isRuleSetFile).sort();
  if (files.length === 0) throw new RuleSetConfigError(`${directory}: no rule-set files`);
  const ruleSets = files.map((name) => parseRuleSet(join(directory, name), readFileSync(join(directory, name), 'utf8')));
  const seen = new Map<string, string>();
  ruleSets.forEach((ruleSet, index) => {
    const key = `${ruleSet.city}@${ruleSet.effectiveFrom}`;
    const other = seen.get(key);
    if (other) {
      throw new RuleSetConfigError(
        `${join(directory, files[index])}: key "effectiveFrom" ${ruleSet.effectiveFrom} is also that of ${other} for city ${ruleSet.city}`,
      );
    }
    seen.set(key, join(directory, files[index]));
    const named = [...(ruleSet.parameters.examSeries ?? []), ...Object.keys(ruleSet.parameters.professionalHoursBySeries ?? {})];
    const unknown = seriesCodes ? named.filter((code) => !seriesCodes.has(code)) : [];
    if (unknown.length > 0) {
      throw new RuleSetConfigError(`${join(directory, files[index])}: series ${unknown.join(', ')} not in config/series.yaml`);
    }
  });
  return ruleSets;
}
