import { ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { getMetadataStorage, registerDecorator, ValidationArguments, ValidationOptions, validateSync, type ValidatorOptions } from 'class-validator';
import { todayInChina } from './china-date.js';
import { InvalidRequestError, type FieldError } from './domain-error.js';
import { idNumberMessage, normalizeIdNumber } from './id-number.js';
import { normalizeOrgCode, orgCodeProblem } from './org-code.js';
import { hasVisibleCharacter } from './text.js';
import { isMessageKey, message, type Message, type MessageKey } from './messages.js';

/**
 * class-validator reports a failed constraint by name with an English text; the catalogue words it
 * instead, with the constraint's own arguments (a Length's bounds, an IsIn's values) read back from
 * the decorator's metadata. A decorator may name a catalogue key as its message (`{ message: 'FIELD.CITY' }`),
 * and this file's own decorators report a serialized Message.
 */
function messageOf(constraint: string, text: string, target: object | undefined, property: string): Message {
  if (isMessageKey(text)) return message(text);
  if (text.startsWith('{')) return JSON.parse(text) as Message;
  const args =
    (target &&
      getMetadataStorage()
        .getTargetValidationMetadatas(target.constructor, '', true, false)
        .find((metadata) => metadata.propertyName === property && metadata.name === constraint)?.constraints) ??
    [];
  switch (constraint) {
    case 'isString':
      return message('FIELD.TYPE', { type: 'string' });
    case 'isInt':
      return message('FIELD.TYPE', { type: 'integer' });
    case 'isNumber':
      return message('FIELD.TYPE', { type: 'number' });
    case 'isBoolean':
      return message('FIELD.TYPE', { type: 'boolean' });
    case 'isArray':
      return message('FIELD.TYPE', { type: 'array' });
    case 'nestedValidation':
      return message('FIELD.TYPE', { type: 'object' });
    case 'isIn':
      return message('FIELD.ONE_OF', { values: args[0] as string[] });
    case 'min':
      return message('FIELD.MIN', { min: args[0] as number });
    case 'max':
      return message('FIELD.MAX', { max: args[0] as number });
    case 'minLength':
      return message('FIELD.MIN_LENGTH', { min: args[0] as number });
    case 'maxLength':
      return message('FIELD.MAX_LENGTH', { max: args[0] as number });
    case 'isLength':
      return message('FIELD.LENGTH', { min: args[0] as number, max: args[1] as number });
    case 'arrayMinSize':
      return message('FIELD.MIN_ITEMS', { min: args[0] as number });
    case 'arrayMaxSize':
      return message('FIELD.MAX_ITEMS', { max: args[0] as number });
    case 'isUrl':
      return message('FIELD.URL');
    case 'whitelistValidation':
      return message('FIELD.UNKNOWN', { name: property });
    default:
      return message('FIELD.INVALID');
  }
}

/** Turns class-validator's tree into flat `{path, message}` pairs: `requests[3].city`. */
function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, text]) => ({
      path: path || '(body)',
      message: messageOf(constraint, text, error.target, error.property),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  // The target lets messageOf read the failed decorator's arguments; values are never kept.
  validationError: { target: true, value: false },
};

/**
 * The one ValidationPipe of the app: unknown fields refused, bodies turned into DTO instances, one
 * message per field. class-validator runs the decorator nearest the property first, so DTOs put the
 * type check (@IsString) there and the finer checks above it.
 */
export const createValidationPipe = () =>
  new ValidationPipe({ ...VALIDATOR_OPTIONS, transform: true, exceptionFactory: (errors) => new InvalidRequestError(flattenValidationErrors(errors)) });

/**
 * Validates the items of a list one by one, as the pipe validates a body, so that a caller can go
 * on checking the valid ones further and report every bad item at once: `requests[3].city`.
 */
export function validateItems<T extends object>(type: new () => T, items: unknown[], pathOf: (index: number) => string): { values: (T | null)[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const values = items.map((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ path: pathOf(index), message: message('FIELD.TYPE', { type: 'object' }) });
      return null;
    }
    const value = plainToInstance(type, item);
    const problems = flattenValidationErrors(validateSync(value, VALIDATOR_OPTIONS), pathOf(index));
    errors.push(...problems);
    return problems.length === 0 ? value : null;
  });
  return { values, errors };
}

/** A decorator from a function that says what is wrong with a value (a catalogue message), or null. */
function define(name: string, validate: (value: unknown, args?: ValidationArguments) => Message | null, options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    let lastProblem: Message | null = null;
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown, args?: ValidationArguments) {
          lastProblem = validate(value, args);
          return lastProblem === null;
        },
        defaultMessage: () => JSON.stringify(lastProblem ?? message('FIELD.INVALID')),
      },
    });
  };
}

const problem = (key: MessageKey | null, params?: Message['params']): Message | null => (key ? message(key, params) : null);

/** A resident ID number (GB 11643); a trailing lowercase x is upper-cased first. */
export function IsIdNumber(options?: ValidationOptions): PropertyDecorator {
  const transform = Transform(({ value }) => (typeof value === 'string' ? normalizeIdNumber(value) : value));
  const check = define('isIdNumber', (value) => (typeof value === 'string' ? problem(idNumberMessage(value)) : message('FIELD.TYPE', { type: 'string' })), options);
  return (target, key) => {
    transform(target, key);
    check(target, key as string);
  };
}

/** Text that shows something: not only spaces, zero-width or filler characters. */
export function IsVisibleText(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    define('isVisibleText', (value) => (typeof value !== 'string' || hasVisibleCharacter(value) ? null : message('FIELD.BLANK')), options)(target, key as string);
}

/** A unified social credit code (GB 32100); lower case and surrounding spaces are normalised first. */
export function IsOrgCode(options?: ValidationOptions): PropertyDecorator {
  const transform = Transform(({ value }) => (typeof value === 'string' ? normalizeOrgCode(value) : value));
  const check = define(
    'isOrgCode',
    (value) => {
      if (typeof value !== 'string') return message('FIELD.TYPE', { type: 'string' });
      const problem = orgCodeProblem(value);
      return problem === 'format' ? message('FIELD.ORG_CODE_FORMAT') : problem ? message('FIELD.ORG_CODE_CHECK') : null;
    },
    options,
  );
  return (target, key) => {
    transform(target, key);
    check(target, key as string);
  };
}

export const FIRST_LEDGER_YEAR = 1990;
const nextYear = () => Number(todayInChina().slice(0, 4)) + 1;

/** A calendar year from 1990 to next year (China time). */
export function IsLedgerYear(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    define(
      'isLedgerYear',
      (value) =>
        typeof value === 'number' && Number.isInteger(value) && value >= FIRST_LEDGER_YEAR && value <= nextYear()
          ? null
          : message('FIELD.YEAR_RANGE', { min: FIRST_LEDGER_YEAR, max: nextYear() }),
      options,
    )(target, key as string);
}

/** A year not after the year in another field of the same object (e.g. qualifyingSince ≤ applicationYear). */
export function NotAfterField(field: string, options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    define(
      'notAfterField',
      (value, args) => {
        const other = (args?.object as Record<string, unknown> | undefined)?.[field];
        return typeof value !== 'number' || typeof other !== 'number' || value <= other ? null : message('FIELD.NOT_AFTER', { other: field });
      },
      options,
    )(target, key as string);
}
