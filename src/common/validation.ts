import { ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { isRealDate, todayInChina } from './china-date.js';
import { InvalidRequestError, type FieldError } from './domain-error.js';
import { hoursToTenths, MAX_HOURS_PER_ENTRY } from './hours.js';
import { idNumberMessage, normalizeIdNumber } from './id-number.js';

/** Turns class-validator's tree into flat `{path, message}` pairs: `entries[3].hours`. */
function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path: path || '(body)', message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

/**
 * The one ValidationPipe of the app: unknown fields refused, bodies turned into DTO instances, one
 * message per field. class-validator runs the decorator nearest the property first, so DTOs put the
 * type check (@IsString) there and the finer checks above it.
 */
export const createValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidRequestError(flattenValidationErrors(errors)),
  });

function define(name: string, validate: (value: unknown) => string | null, options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    let lastProblem: string | null = null;
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          lastProblem = validate(value);
          return lastProblem === null;
        },
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? propertyName} ${lastProblem ?? 'is invalid'}`,
      },
    });
  };
}

/** A resident ID number (GB 11643); a trailing lowercase x is upper-cased first. */
export function IsIdNumber(options?: ValidationOptions): PropertyDecorator {
  const transform = Transform(({ value }) => (typeof value === 'string' ? normalizeIdNumber(value) : value));
  const check = define(
    'isIdNumber',
    (value) => {
      return typeof value === 'string' ? idNumberMessage(value) : 'must be a string';
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
          : `must be a whole year from ${FIRST_LEDGER_YEAR} to ${nextYear()}`,
      options,
    )(target, key as string);
}

/** A year not after the year in another field of the same object (e.g. qualifyingSince ≤ applicationYear). */
export function NotAfterField(field: string, options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'notAfterField',
      target: target.constructor,
      propertyName: key as string,
      options,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[field];
          return typeof value !== 'number' || typeof other !== 'number' || value <= other;
        },
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? String(key)} must not be after ${field}`,
      },
    });
}
