import { orgCodeCheckCharacter, orgCodeProblem } from '../../src/common/org-code.js';

describe('unified social credit code (GB 32100)', () => {
  // Published codes of well-known organisations, check characters included.
  it.each(['91110000802100433B', '12100000400000624D'])('accepts %s', (code) => {
    expect(orgCodeProblem(code)).toBeNull();
  });

  it('computes the check character (mod 31 over the 31-character set)', () => {
    expect(orgCodeCheckCharacter('91110000802100433')).toBe('B');
  });

  it.each([
    ['91110000802100433C', 'check_character'],
    ['9111000080210043', 'format'],
    ['91110000802100433I', 'format'],
    ['9I110000802100433B', 'format'],
  ])('refuses %s (%s)', (code, problem) => {
    expect(orgCodeProblem(code)).toBe(problem);
  });
});
