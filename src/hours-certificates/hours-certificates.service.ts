import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { Caller } from '../auth/caller.js';
import { SigningService } from '../certification/signing.service.js';
import { todayInChina } from '../common/china-date.js';
import { fieldError, InvalidRequestError, NotFoundError } from '../common/domain-error.js';
import { newId, newVerifyCode, UUID_PATTERN } from '../common/ids.js';
import { message } from '../common/messages.js';
import { isoTimestamp } from '../common/pagination.js';
import type { AppConfig } from '../config/environment.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { HoursCertificatesRepository, type HoursCertificateRow } from './hours-certificates.repository.js';
import { type PrintedEntry, type PrintedYear, renderHoursCertificate } from '../printing/pdf.js';

export const MAX_CERTIFICATE_YEARS = 10;

/** What a 学时证明 states, as issued (stored, signed and printed from this). */
export interface HoursCertificateContent {
  id: string;
  person: { name: string; idNumberMasked: string };
  fromYear: number;
  toYear: number;
  years: PrintedYear[];
  entries: (PrintedEntry & { id: string; year: number })[];
  entriesDigest: string;
  issuer: string;
  issuedAt: string;
}

/** `张三` → `张*`, `欧阳娜娜` → `欧***`: what a verifier sees of the name. */
export const maskName = (name: string): string => ([...name].length <= 1 ? name : [...name][0] + '*'.repeat([...name].length - 1));

/**
 * Hours certificates (学时证明): issued from the ledger as it stands (the years' totals and their
 * entries), signed with the certification keys, given a verification code of 128 random bits, and
 * printed as a PDF with a QR code of PUBLIC_BASE_URL/verify/{code}.
 */
@Injectable()
export class HoursCertificatesService {
  constructor(
    private readonly certificates: HoursCertificatesRepository,
    private readonly ledger: LedgerService,
    private readonly signing: SigningService,
    private readonly audit: AuditService,
    private readonly caller: Caller,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  verifyUrl(code: string): string {
    return `${this.config.get('PUBLIC_BASE_URL', { infer: true })}/verify/${code}`;
  }

  /** Issues a certificate of [fromYear, toYear] for the person; a title system's request is recorded in the person's access log. */
  async issue(personKey: Buffer, fromYear: number, toYear: number, purpose?: string) {
    const principal = this.caller.principal;
    this.checkYears(fromYear, toYear);
    const ledger = await this.ledger.readLedger(personKey);
    if (!ledger && principal.role !== 'applicant') throw new NotFoundError('LEDGER.PERSON_NOT_FOUND', message('LEDGER.PERSON_NOT_FOUND'));
    await this.audit.recordAccess([personKey], 'hours_certificate', purpose);

    const byYear = new Map((ledger?.years ?? []).map((year) => [year.year, year]));
    const years: PrintedYear[] = [];
    const entries: HoursCertificateContent['entries'] = [];
    for (let year = fromYear; year <= toYear; year++) {
      const found = byYear.get(year);
      years.push({
        year,
        professional: found?.professional ?? 0,
        generalPublic: found?.generalPublic ?? 0,
        industryPublic: found?.industryPublic ?? 0,
        total: found?.total ?? 0,
      });
      for (const entry of [...(found?.entries ?? [])].reverse()) {
        entries.push({
          id: entry.id,
          year,
          completedOn: entry.completedOn,
          courseTitle: entry.courseTitle,
          provider: entry.source === 'self_report' ? `${entry.recordedBy}审核（学时申报）` : entry.recordedBy,
          category: entry.category,
          hours: entry.hours,
          reversal: entry.reversesEntryId !== null,
          reversed: entry.reversedByEntryId !== null,
        });
      }
    }
    const digest = createHash('sha256');
    for (const entry of entries) digest.update(`${entry.id}|${entry.category}|${entry.hours}|${entry.completedOn}\n`);
    const entriesDigest = digest.digest();
    const id = newId();
    const issuedAt = new Date();
    const content: HoursCertificateContent = {
      id,
      person: { name: ledger?.person.name ?? '', idNumberMasked: ledger?.person.idNumberMasked ?? (principal.role === 'applicant' ? principal.idNumberMasked : '') },
      fromYear,
      toYear,
      years,
      entries,
      entriesDigest: entriesDigest.toString('hex'),
      issuer: this.config.get('ISSUER_NAME', { infer: true }),
      issuedAt: issuedAt.toISOString(),
    };
    const certificate = this.signing.sign(
      {
        hoursCertificateId: id,
        subject: { idNumberMasked: content.person.idNumberMasked, idNumberHmac: personKey.toString('base64url') },
        fromYear,
        toYear,
        years,
        entriesDigest: { alg: 'SHA-256', value: content.entriesDigest, entries: entries.length },
        issuer: content.issuer,
        issuedAt: content.issuedAt,
      },
      id,
    );
    const verifyCode = newVerifyCode();
    await this.certificates.insert({
      id,
      verifyCode,
      personKey,
      issuedByKind: principal.role,
      issuedByClientId: principal.role === 'applicant' ? null : principal.clientId,
      fromYear,
      toYear,
      content: JSON.stringify(content),
      entriesDigest,
      kid: this.signing.keyId,
      certificate,
      issuedAt,
    });
    return { id, verifyCode, verifyUrl: this.verifyUrl(verifyCode), issuedAt: content.issuedAt, fromYear, toYear, years, certificate };
  }

  /** The applicant's certificates, newest first, each with whether it still holds. */
  async listOwn(personKey: Buffer) {
    const rows = await this.certificates.ofPerson(personKey);
    return Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        verifyCode: row.verifyCode,
        verifyUrl: this.verifyUrl(row.verifyCode),
        fromYear: row.fromYear,
        toYear: row.toYear,
        issuedAt: isoTimestamp(row.issuedAt),
        ...(await this.currency(row)),
      })),
    );
  }

  /** valid, or superseded once an entry of a covered year was recorded or reversed after the issue. */
  async currency(row: HoursCertificateRow): Promise<{ status: 'valid' | 'superseded'; changedAt?: string }> {
    const changedAt = await this.ledger.firstChangeAfter(row.personKey, row.fromYear, row.toYear, new Date(isoTimestamp(row.issuedAt)));
    return changedAt ? { status: 'superseded', changedAt: isoTimestamp(changedAt) } : { status: 'valid' };
  }

  /** The PDF of a certificate its reader may see: the applicant's own, or the one a title system asked for. */
  async pdf(id: string): Promise<Buffer> {
    const principal = this.caller.principal;
    const row = UUID_PATTERN.test(id) ? await this.certificates.find(id) : null;
    const mine =
      row &&
      (principal.role === 'applicant' ? row.personKey.equals(principal.personKey) : principal.role === 'title_system' && row.issuedByClientId === principal.clientId);
    if (!row || !mine) throw new NotFoundError('HOURS_CERTIFICATE.NOT_FOUND', message('HOURS_CERTIFICATE.NOT_FOUND', { id }));
    const content = JSON.parse(row.content) as HoursCertificateContent;
    return renderHoursCertificate({
      name: content.person.name,
      idNumberMasked: content.person.idNumberMasked,
      fromYear: content.fromYear,
      toYear: content.toYear,
      years: content.years,
      entries: content.entries,
      issuer: content.issuer,
      issuedAt: new Date(content.issuedAt),
      verifyCode: row.verifyCode,
      verifyUrl: this.verifyUrl(row.verifyCode),
    });
  }

  async findByVerifyCode(code: string) {
    const row = await this.certificates.findByVerifyCode(code);
    if (!row) return null;
    const content = JSON.parse(row.content) as HoursCertificateContent;
    return {
      kind: 'hours_certificate' as const,
      ...(await this.currency(row)),
      issuedAt: content.issuedAt,
      issuer: content.issuer,
      person: { nameMasked: maskName(content.person.name), idNumberMasked: content.person.idNumberMasked },
      fromYear: row.fromYear,
      toYear: row.toYear,
      years: content.years,
    };
  }

  private checkYears(fromYear: number, toYear: number): void {
    const thisYear = Number(todayInChina().slice(0, 4));
    const errors = [];
    if (toYear > thisYear) errors.push(fieldError('toYear', 'FIELD.YEAR_NOT_FUTURE', { max: thisYear }));
    if (fromYear > toYear) errors.push(fieldError('fromYear', 'FIELD.NOT_AFTER', { other: 'toYear' }));
    else if (toYear - fromYear + 1 > MAX_CERTIFICATE_YEARS) errors.push(fieldError('fromYear', 'FIELD.YEAR_SPAN', { max: MAX_CERTIFICATE_YEARS }));
    if (errors.length > 0) throw new InvalidRequestError(errors);
  }
}
