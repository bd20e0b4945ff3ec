import { isRealDate, todayInChina } from './china-date.js';
import type { MessageKey } from './messages.js';

/**
 * Resident ID numbers (公民身份号码, GB 11643-1999): 6-digit region, 8-digit birth date,
 * 3-digit sequence, and an ISO 7064 MOD 11-2 check character (0-9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

export type IdNumberProblem = 'format' | 'region' | 'birth_date' | 'check_digit';

/** Province-level codes of GB/T 2260 (the first two digits of every region code). */
const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82']);

/** Upper-cases a trailing x, the one normalisation the standard allows. */
export const normalizeIdNumber = (value: string): string => value.toUpperCase();

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/** Why a (normalised) ID number is invalid, or null when it is valid. */
export function idNumberProblem(value: string, today = todayInChina()): IdNumberProblem | null {
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return 'format';
  if (!PROVINCES.has(value.slice(0, 2))) return 'region';
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isRealDate(birthDate) || birthDate < '1900-01-01' || birthDate > today) return 'birth_date';
  if (checkCharacter(value.slice(0, 17)) !== value[17]) return 'check_digit';
  return null;
}

export const isValidIdNumber = (value: string): boolean => idNumberProblem(value) === null;

const ID_NUMBER_MESSAGES: Record<IdNumberProblem, MessageKey> = {
  format: 'FIELD.ID_NUMBER_FORMAT',
  region: 'FIELD.ID_NUMBER_REGION',
  birth_date: 'FIELD.ID_NUMBER_BIRTH_DATE',
  check_digit: 'FIELD.ID_NUMBER_CHECK_DIGIT',
};

/** The message that says what is wrong with a (normalised) ID number; null when it is valid. */
export function idNumberMessage(value: string): MessageKey | null {
  const problem = idNumberProblem(value);
  return problem ? ID_NUMBER_MESSAGES[problem] : null;
}

/** `330102199001011234` → `330102********1234`: region and last four only. */
export const maskIdNumber = (value: string): string => `${value.slice(0, 6)}********${value.slice(14)}`;
