import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { idNumberProblem } from '../common/id-number.js';
import { PiiService } from '../common/pii.service.js';

const ISSUER = 'ce-ledger';

/**
 * Applicant tokens: HS256 JWTs whose subject is the ID number encrypted under PII_KEY (AES-256-GCM,
 * a fresh IV each time), so that a token's payload, which anyone holding it can read, never holds
 * the number itself. A deployment behind a government SSO uses sessions instead (see README).
 */
@Injectable()
export class ApplicantTokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly pii: PiiService,
  ) {}

  async mint(idNumber: string, ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const subject = this.pii.encrypt(idNumber).toString('base64url');
    const token = await this.jwt.signAsync({}, { subject, expiresIn: ttlSeconds, issuer: ISSUER, algorithm: 'HS256' });
    return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() };
  }

  /**
   * The ID number the token was issued for, with its ciphertext (the subject itself, reusable as the
   * number encrypted at rest), or null when the token is not one of ours or has expired.
   */
  async verify(token: string): Promise<{ idNumber: string; idNumberCipher: Buffer } | null> {
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: unknown; exp?: unknown }>(token, { algorithms: ['HS256'], issuer: ISSUER });
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
      const idNumberCipher = Buffer.from(payload.sub, 'base64url');
      const idNumber = this.pii.decrypt(idNumberCipher);
      return idNumberProblem(idNumber) === null ? { idNumber, idNumberCipher } : null;
    } catch {
      return null;
    }
  }
}
