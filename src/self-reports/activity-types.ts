import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { hoursToTenths, type Tenths } from '../common/hours.js';
import { projectRoot } from '../common/project-root.js';
import { CATEGORIES, type Category } from '../ledger/ledger.types.js';

/** A kind of activity an applicant may report, with its caps (config/activity-types.yaml). */
export interface ActivityType {
  code: string;
  name: string;
  categories: Category[];
  maxHoursPerItem: number;
  maxHoursPerYear: number;
  evidenceRequired: boolean;
}

export const ACTIVITY_TYPES_FILE = join(projectRoot(), 'config', 'activity-types.yaml');

export class ActivityTypesConfigError extends Error {}

const hours = { type: 'number', exclusiveMinimum: 0, maximum: 10000 } as const;
const FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['activityTypes'],
  properties: {
    activityTypes: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name', 'categories', 'maxHoursPerItem', 'maxHoursPerYear', 'evidenceRequired'],
        properties: {
          code: { type: 'string', pattern: '^[a-z][a-z_]{1,39}$' },
          name: { type: 'string', minLength: 1, maxLength: 100 },
          categories: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: CATEGORIES } },
          maxHoursPerItem: hours,
          maxHoursPerYear: hours,
          evidenceRequired: { type: 'boolean' },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile<{ activityTypes: ActivityType[] }>(FILE_SCHEMA);

/** The file, validated: a bad, duplicated or inconsistent entry stops the start, naming the file and the entry. */
export function loadActivityTypes(file = ACTIVITY_TYPES_FILE): ActivityType[] {
  const data: unknown = parse(readFileSync(file, 'utf8'));
  if (!validate(data)) {
    throw new ActivityTypesConfigError(`${file}: ${(validate.errors ?? []).map((e) => `${e.instancePath || '(top level)'}: ${e.message}`).join('; ')}`);
  }
  const seen = new Set<string>();
  for (const type of data.activityTypes) {
    const where = `${file}: activity type "${type.code}"`;
    if (seen.has(type.code)) throw new ActivityTypesConfigError(`${where} is listed twice`);
    seen.add(type.code);
    if (hoursToTenths(type.maxHoursPerItem) === null || hoursToTenths(type.maxHoursPerYear) === null) {
      throw new ActivityTypesConfigError(`${where}: caps have at most one decimal`);
    }
    if (type.maxHoursPerItem > type.maxHoursPerYear) throw new ActivityTypesConfigError(`${where}: maxHoursPerItem is more than maxHoursPerYear`);
  }
  return data.activityTypes;
}

/** The caps in tenths, as the service compares them. */
export const capsInTenths = (type: ActivityType): { perItem: Tenths; perYear: Tenths } => ({
  perItem: hoursToTenths(type.maxHoursPerItem)!,
  perYear: hoursToTenths(type.maxHoursPerYear)!,
});
