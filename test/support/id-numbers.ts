import { checkCharacter } from '../../src/common/id-number.js';

/** A valid resident ID number for test person `n` (0-999): region 330102 (杭州上城), born 1990-01-01. */
export function testIdNumber(n: number, birthDate = '19900101', region = '330102'): string {
  const first17 = `${region}${birthDate}${String(n).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}
