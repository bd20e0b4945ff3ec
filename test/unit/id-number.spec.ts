import { checkCharacter, idNumberProblem, isValidIdNumber, maskIdNumber, normalizeIdNumber } from '../../src/common/id-number.js';
import { testIdNumber } from '../support/id-numbers.js';

describe('resident ID numbers (GB 11643)', () => {
  it.each([
    ['11010519491231002X', 'the standard’s own example, check character X'],
    ['110105194912310029'.slice(0, 17) + checkCharacter('11010519491231002'), 'the same, check computed'],
    [testIdNumber(1), 'a generated one'],
    [testIdNumber(123, '20000229'), 'born on a leap day'],
  ])('accepts %s (%s)', (value) => {
    expect(idNumberProblem(value)).toBeNull();
  });

  it('computes the ISO 7064 MOD 11-2 check character', () => {
    // Σ(digit × weight) mod 11 → "10X98765432"; for 11010519491231002 the sum is 167, 167 mod 11 = 2 → X.
    expect(checkCharacter('11010519491231002')).toBe('X');
  });

  it.each([
    ['11010519491231002', 'format', '17 characters'],
    ['11010519491231002XX', 'format', '19 characters'],
    ['01010519491231002X', 'format', 'region starting with 0'],
    ['1101051949123100AX', 'format', 'a letter inside'],
    ['110105194913310027', 'birth_date', 'month 13'],
    ['110105199002300020', 'birth_date', 'February 30'],
    ['110105189912310020', 'birth_date', 'born before 1900'],
    ['110105209912310020', 'birth_date', 'born in the future'],
    ['110105194912310021', 'check_digit', 'wrong check digit'],
  ])('refuses %s (%s: %s)', (value, problem) => {
    expect(idNumberProblem(value, '2026-11-22')).toBe(problem);
  });

  it('upper-cases a trailing lowercase x, after which the number validates', () => {
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
    expect(isValidIdNumber(normalizeIdNumber('11010519491231002x'))).toBe(true);
  });

  it('masks all but the region and the last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('11010519491231002X')).toHaveLength(18);
  });
});
