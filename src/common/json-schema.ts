import { Injectable, type PipeTransform } from '@nestjs/common';
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import { isRealDate, todayInChina } from './china-date.js';
import { InvalidRequestError, type FieldError } from './domain-error.js';
import { hoursToTenths, MAX_HOURS_PER_ENTRY } from './hours.js';
import { idNumberMessage, normalizeIdNumber } from './id-number.js';
import { normalizeOrgCode, orgCodeProblem } from './org-code.js';
import { hasVisibleCharacter } from './text.js';
import { isMessageKey, message, type Message, type MessageKey } from './messages.js';

/**
 * Request bodies that carry thousands of items (hours entries) are checked by a JSON schema that ajv
 * compiles to one function: about 1 µs an entry where class-validator takes about 20. The checks JSON
 * Schema cannot state are keywords below, each a function from the value to what is wrong with it.
 * The schema also documents the route (`@ApiBody({ schema })`), so the two cannot drift apart.
 */
const FIELD_CHECKS = {
  /** A resident ID number (GB 11643); a trailing lowercase x is upper-cased in place first. */
  'x-id-number': {
    type: 'string',
    normalize: normalizeIdNumber,
    problem: (value: string): Message | null => {
      const key = idNumberMessage(value);
      return key ? message(key) : null;
    },
  },
  /** A unified social credit code (GB 32100); lower case and surrounding spaces are normalised first. */
  'x-org-code': {
    type: 'string',
    normalize: normalizeOrgCode,
    problem: (value: string): Message | null => {
      const problem = orgCodeProblem(value);
      return problem === 'format' ? message('FIELD.ORG_CODE_FORMAT') : problem ? message('FIELD.ORG_CODE_CHECK') : null;
    },
  },
  /** A completion date: a real YYYY-MM-DD, not before 1990 and not after today (China time). */
  'x-ledger-date': {
    type: 'string',
    problem: (value: string): Message | null => {
      if (!isRealDate(value)) return message('FIELD.DATE_FORMAT');
      if (value < '1990-01-01') return message('FIELD.DATE_TOO_EARLY', { min: '1990-01-01' });
      if (value > todayInChina()) return message('FIELD.DATE_IN_FUTURE');
      return null;
    },
  },
  /** A name or title: at least one character that shows (not only spaces, zero-width or filler characters). */
  'x-visible-text': {
    type: 'string',
    problem: (value: string): Message | null => (hasVisibleCharacter(value) ? null : message('FIELD.BLANK')),
  },
  /** Hours: at least 0.1, at most 500, at most one decimal (they are kept as integer tenths). */
  'x-hours': {
    type: 'number',
    problem: (value: number): Message | null => {
      if (value <= 0) return message('FIELD.HOURS_POSITIVE');
      if (value < 0.1) return message('FIELD.HOURS_MIN');
      if (value > MAX_HOURS_PER_ENTRY) return message('FIELD.HOURS_MAX', { max: MAX_HOURS_PER_ENTRY });
      if (hoursToTenths(value) === null) return message('FIELD.HOURS_ONE_DECIMAL');
      return null;
    },
  },
} as const;

type FieldCheck = { type: 'string' | 'number'; normalize?: (value: never) => unknown; problem: (value: never) => Message | null };

function createAjv(): Ajv {
  // verbose: failing errors carry their property schema, whose x-message (a catalogue key) words pattern failures.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
  ajv.addVocabulary(['example', 'x-message']);
  for (const [keyword, check] of Object.entries(FIELD_CHECKS) as [string, FieldCheck][]) {
    const validate = (_schema: boolean, value: unknown, _parentSchema?: unknown, context?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number }) => {
      if (check.normalize && context) value = context.parentData[context.parentDataProperty] = check.normalize(value as never);
      const problem = check.problem(value as never);
      // ajv fills in instancePath and schemaPath of the errors a keyword reports; the message travels in params.
      (validate as unknown as { errors: Partial<ErrorObject>[] }).errors = problem ? [{ keyword, params: { problem } }] : [];
      return problem === null;
    };
    ajv.addKeyword({ keyword, type: check.type, schemaType: 'boolean', modifying: Boolean(check.normalize), errors: true, validate });
  }
  return ajv;
}

const ajv = createAjv();

/** `/entries/3/hours` → `entries[3].hours`, the way the client wrote it. */
function pathOf(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  // A missing or unknown property is named itself, not its parent object.
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(error.params.additionalProperty));
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

/** The catalogue message of one ajv error, worded like class-validator's elsewhere in the API. */
function messageOf(error: ErrorObject): Message {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return message('FIELD.REQUIRED');
    case 'additionalProperties':
      return message('FIELD.UNKNOWN', { name: String(params.additionalProperty) });
    case 'type':
      return message('FIELD.TYPE', { type: String(params.type) });
    case 'enum':
      return message('FIELD.ONE_OF', { values: params.allowedValues as string[] });
    case 'maxLength':
      return message('FIELD.MAX_LENGTH', { max: Number(params.limit) });
    case 'minItems':
      return message('FIELD.MIN_ITEMS', { min: Number(params.limit) });
    case 'maxItems':
      return message('FIELD.MAX_ITEMS', { max: Number(params.limit) });
    default: {
      if (error.keyword.startsWith('x-')) return params.problem as Message;
      const worded = (error.parentSchema as { 'x-message'?: string } | undefined)?.['x-message'];
      return worded && isMessageKey(worded) ? message(worded as MessageKey) : message('FIELD.INVALID');
    }
  }
}

/** ajv's errors as the API's field errors: the first problem of each field, in document order. */
function fieldErrors(errors: ErrorObject[]): FieldError[] {
  const byPath = new Map<string, FieldError>();
  for (const error of errors) {
    const path = pathOf(error);
    if (byPath.has(path)) continue;
    byPath.set(path, { path: path || '(body)', message: messageOf(error) });
  }
  return [...byPath.values()];
}

/** Validates a body against a JSON schema (422 naming each bad field), for `@Body(new JsonSchemaPipe(schema))`. */
@Injectable()
export class JsonSchemaPipe<T> implements PipeTransform<unknown, T> {
  private readonly validate: ValidateFunction<T>;

  constructor(schema: SchemaObject) {
    this.validate = ajv.compile<T>(schema);
  }

  transform(value: unknown): T {
    if (this.validate(value)) return value;
    throw new InvalidRequestError(fieldErrors(this.validate.errors ?? []));
  }
}
