import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { RuleSetConfigError } from './rule-set-loader.js';

/** A title series (职称系列): its code in requests and its name as the notices write it. */
export interface Series {
  code: string;
  name: string;
}

const SERIES_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['series'],
  properties: {
    series: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name'],
        properties: { code: { type: 'string', pattern: '^[a-z][a-z_]{1,39}$' }, name: { type: 'string', minLength: 1 } },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile<{ series: Series[] }>(SERIES_FILE_SCHEMA);

/** config/series.yaml, validated: a bad or duplicated entry stops the start, naming the file and the entry. */
export function loadSeries(file: string): Series[] {
  const data: unknown = parse(readFileSync(file, 'utf8'));
  if (!validate(data)) {
    throw new RuleSetConfigError(`${file}: ${(validate.errors ?? []).map((e) => `${e.instancePath || '(top level)'}: ${e.message}`).join('; ')}`);
  }
  const seen = new Set<string>();
  for (const { code } of data.series) {
    if (seen.has(code)) throw new RuleSetConfigError(`${file}: series "${code}" is listed twice`);
    seen.add(code);
  }
  return data.series;
}
