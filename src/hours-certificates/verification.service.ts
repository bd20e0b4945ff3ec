import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CertificationRepository } from '../certification/certification.repository.js';
import { isoTimestamp } from '../common/pagination.js';
import type { AppConfig } from '../config/environment.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Decision, EligibilityRequest } from '../rules/engine/index.js';
import { HoursCertificatesService, maskName } from './hours-certificates.service.js';

const OUTCOMES: Record<string, string> = { eligible: '符合', ineligible: '不符合', undetermined: '无法判定' };

/**
 * What a verification code stands for: a 学时证明, or a certification's printed result. Either is
 * `valid` while the ledger it rests on is as it was, `superseded` once an entry it covers was recorded
 * or reversed afterwards (with when). Only the masked name and ID number are shown.
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly hoursCertificates: HoursCertificatesService,
    private readonly certifications: CertificationRepository,
    private readonly ledger: LedgerService,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async verify(code: string) {
    const certificate = await this.hoursCertificates.findByVerifyCode(code);
    if (certificate) return certificate;
    const row = await this.certifications.findByVerifyCode(code);
    if (!row || row.status !== 'completed' || !row.decision || !row.completedAt) return null;
    const decision = JSON.parse(row.decision) as Decision;
    const request = JSON.parse(row.request) as EligibilityRequest;
    const ledger = await this.ledger.readLedger(row.personKey);
    const changedAt = await this.ledger.firstChangeAfter(row.personKey, 1990, 2100, new Date(isoTimestamp(row.completedAt)));
    return {
      kind: 'certification' as const,
      ...(changedAt ? { status: 'superseded' as const, changedAt: isoTimestamp(changedAt) } : { status: 'valid' as const }),
      issuedAt: isoTimestamp(row.completedAt),
      issuer: this.config.get('ISSUER_NAME', { infer: true }),
      person: { nameMasked: maskName(ledger?.person.name ?? ''), idNumberMasked: row.idNumberMasked },
      applicationYear: request.applicationYear,
      decision: decision.decision,
      decisionName: OUTCOMES[decision.decision],
      summary: decision.summary,
    };
  }
}
