import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/environment.js';

const CIPHER_VERSION = 1;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/**
 * HMAC-SHA256 for lookup and uniqueness, AES-256-GCM for storage (of ID numbers, and of the
 * webhook secrets that must be read back). Both keys are derived from PII_KEY with HKDF, so that
 * one secret is configured and the two uses never share a key.
 */
@Injectable()
export class PiiService {
  private readonly hmacKey: Buffer;
  private readonly encryptionKey: Buffer;

  constructor(config: ConfigService<AppConfig, true>) {
    const secret = config.get('PII_KEY', { infer: true });
    this.hmacKey = Buffer.from(hkdfSync('sha256', secret, 'ce-ledger', 'id-number-hmac', 32));
    this.encryptionKey = Buffer.from(hkdfSync('sha256', secret, 'ce-ledger', 'id-number-aes-256-gcm', 32));
  }

  lookupHash(idNumber: string): Buffer {
    return createHmac('sha256', this.hmacKey).update(idNumber).digest();
  }

  /** version(1) ‖ iv(12) ‖ tag(16) ‖ ciphertext: the version leaves room to rotate PII_KEY. */
  encrypt(plaintext: string): Buffer {
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([CIPHER_VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(stored: Buffer): string {
    if (stored[0] !== CIPHER_VERSION) throw new Error(`Unknown PII cipher version ${stored[0]}`);
    const iv = stored.subarray(1, 1 + IV_LENGTH);
    const tag = stored.subarray(1 + IV_LENGTH, 1 + IV_LENGTH + TAG_LENGTH);
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(stored.subarray(1 + IV_LENGTH + TAG_LENGTH)), decipher.final()]).toString('utf8');
  }
}
