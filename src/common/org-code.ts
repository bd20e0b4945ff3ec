/**
 * The unified social credit code of an organisation (统一社会信用代码, GB 32100-2015): 18 characters
 * from 0-9 and the capitals but I, O, S, V, Z; the last is a check character (mod 31).
 */
const CHARACTERS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function orgCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARACTERS.indexOf(first17[i]) * WEIGHTS[i];
  return CHARACTERS[(31 - (sum % 31)) % 31];
}

export type OrgCodeProblem = 'format' | 'check_character';

/** Why a (normalised, upper-case) code is invalid, or null when it is valid. */
export function orgCodeProblem(value: string): OrgCodeProblem | null {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) return 'format';
  return orgCodeCheckCharacter(value.slice(0, 17)) === value[17] ? null : 'check_character';
}

export const normalizeOrgCode = (value: string): string => value.trim().toUpperCase();
