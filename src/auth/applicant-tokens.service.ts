import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { idNumberProblem } from '../common/id-number.js';

const ISSUER = 'ce-ledger';

/**
 * Applicant tokens: HS256 JWTs whose subject is the resident ID number. A deployment behind a
 * government SSO verifies the SSO's tokens here instead; nothing else in the app changes.
 */
@Injectable()
export class ApplicantTokensService {
  constructor(private readonly jwt: JwtService) {}

  async mint(idNumber: string, ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const token = await this.jwt.signAsync({}, { subject: idNumber, expiresIn: ttlSeconds, issuer: ISSUER, algorithm: 'HS256' });
    return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() };
  }

  /** The ID number the token was issued for, or null when the token is not one of ours or has expired. */
  async verify(token: string): Promise<string | null> {
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: unknown; exp?: unknown }>(token, { algorithms: ['HS256'], issuer: ISSUER });
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
      return idNumberProblem(payload.sub) === null ? payload.sub : null;
    } catch {
      return null;
    }
  }
}
