import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../src/config/environment.js';
import { PiiService } from '../../src/common/pii.service.js';

const serviceWithKey = (key: string) => new PiiService({ get: () => key } as unknown as ConfigService<AppConfig, true>);

describe('PII protection of ID numbers', () => {
  const pii = serviceWithKey('unit-test-pii-key-000000000000000000000000');
  const idNumber = '11010519491231002X';

  it('encrypts with a fresh IV each time and decrypts back', () => {
    const a = pii.encrypt(idNumber);
    const b = pii.encrypt(idNumber);
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain(idNumber);
    expect(pii.decrypt(a)).toBe(idNumber);
  });

  it('refuses a tampered ciphertext', () => {
    const stored = pii.encrypt(idNumber);
    stored[stored.length - 1] ^= 1;
    expect(() => pii.decrypt(stored)).toThrow();
  });

  it('gives a stable lookup hash that depends on the key', () => {
    expect(pii.lookupHash(idNumber).equals(pii.lookupHash(idNumber))).toBe(true);
    expect(serviceWithKey('another-test-pii-key-00000000000000000000').lookupHash(idNumber).equals(pii.lookupHash(idNumber))).toBe(false);
  });

  it('keeps no form of the number in clear: hash and ciphertext', () => {
    expect(pii.lookupHash(idNumber).toString('hex')).not.toContain(idNumber);
    const ciphertext = pii.encrypt(idNumber);
    expect(ciphertext.toString('latin1')).not.toContain(idNumber);
    expect(pii.decrypt(ciphertext)).toBe(idNumber);
  });
});
