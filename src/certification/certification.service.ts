import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Caller } from '../auth/caller.js';
import type { Principal } from '../auth/principal.js';
import { canonicalJson, contentHash } from '../common/content-hash.js';
import { ConflictError, fieldError, type FieldError, InvalidRequestError, NotFoundError, ServiceUnavailableError } from '../common/domain-error.js';
import { message } from '../common/messages.js';
import { newId, UUID_PATTERN } from '../common/ids.js';
import { maskIdNumber } from '../common/id-number.js';
import { decodeCursor, encodeCursor, isoTimestamp } from '../common/pagination.js';
import { PiiService } from '../common/pii.service.js';
import { isDuplicateKey, transactionWithRetry } from '../database/transactions.js';
import { REDIS } from '../redis/redis.module.js';
import { CHECK_NAMES, type Decision, type DecisionOutcome, describeCheck, type EligibilityRequest, evaluate, EvaluationInputError, LEVEL_NAMES, TRACK_NAMES } from '../rules/engine/index.js';
import { renderCertificationResult } from '../printing/pdf.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/environment.js';
import type { Cell } from '../common/spreadsheet.js';
import { validateItems } from '../common/validation.js';
import { CallbackPolicy } from './callback-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { redactQuoted } from '../common/log-redaction.js';
import { inputFieldErrors, RuleSetsService } from '../rules/rule-sets.service.js';
import { certifyJobs } from './certification.jobs.js';
import { CertificationQueues } from './certification.queues.js';
import { CertificationRepository, type CertificationRow, type NewCertification, UNIQUE_BATCH_KEY, UNIQUE_CERTIFICATION_KEY } from './certification.repository.js';
import { type BatchSummaryDto, type CertificationDto, CertificationRequestDto } from './dto/certification.dto.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const OUTCOME_WORDS: Record<DecisionOutcome, string> = { eligible: '符合', ineligible: '不符合', undetermined: '无法判定' };
const STATUS_WORDS: Record<CertificationRow['status'], string> = { queued: '排队中', running: '审查中', completed: '已完成', failed: '失败' };

type Prepared = Omit<NewCertification, 'id' | 'clientId' | 'batchId' | 'idempotencyKey'>;

/**
 * Submissions write their certification rows (status queued) in one transaction, then enqueue
 * their jobs (a job per 100 rows of a roster, named by its first row's id). If the enqueue fails the
 * rows stay queued and the sweeper adds their jobs later: MySQL, not Redis, holds what was asked.
 */
@Injectable()
export class CertificationService {
  private readonly logger = new Logger(CertificationService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly certifications: CertificationRepository,
    private readonly ruleSets: RuleSetsService,
    private readonly pii: PiiService,
    private readonly queues: CertificationQueues,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly callbackPolicy: CallbackPolicy,
    private readonly audit: AuditService,
    private readonly caller: Caller,
    private readonly ledger: LedgerService,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async submit(dto: CertificationRequestDto, idempotencyKey?: string): Promise<{ id: string; status: string }> {
    const clientId = this.caller.as('title_system').clientId;
    const key = this.checkIdempotencyKey(idempotencyKey);
    this.assertQueueAvailable();
    const prepared = this.prepare(dto, '');
    const callbackErrors = await this.callbackErrors([prepared], () => '');
    if (callbackErrors.length > 0) throw new InvalidRequestError(callbackErrors);
    // The certification will read the person's ledger: recorded now, in the submitting request.
    await this.audit.recordAccess([prepared.personKey], 'certification', dto.purpose);
    if (key) {
      const existing = await this.certifications.findByIdempotencyKey(clientId, key);
      if (existing) return this.replay(existing, prepared);
    }
    const id = newId();
    try {
      await transactionWithRetry(this.dataSource, (manager) =>
        this.certifications.insertCertifications(manager, [{ ...prepared, id, clientId, batchId: null, idempotencyKey: key }]),
      );
    } catch (error) {
      if (key && isDuplicateKey(error, UNIQUE_CERTIFICATION_KEY)) {
        return this.replay((await this.certifications.findByIdempotencyKey(clientId, key))!, prepared);
      }
      throw error;
    }
    await this.enqueue([id]);
    return { id, status: 'queued' };
  }

  async submitBatch(requests: unknown[], idempotencyKey?: string): Promise<{ batchId: string; ids: string[] }> {
    const clientId = this.caller.as('title_system').clientId;
    const key = this.checkIdempotencyKey(idempotencyKey);
    this.assertQueueAvailable();
    // Every row's form first, then the rules of each well-formed row: all bad rows in one answer.
    const { values, errors } = validateItems(CertificationRequestDto, requests, (index) => `requests[${index}]`);
    const prepared = values.map((dto, index) => {
      if (!dto) return null;
      try {
        return this.prepare(dto, `requests[${index}].`);
      } catch (error) {
        if (!(error instanceof InvalidRequestError)) throw error;
        errors.push(...(error.errors ?? []));
        return null;
      }
    });
    errors.push(...(await this.callbackErrors(prepared, (index) => `requests[${index}].`)));
    if (errors.length > 0) {
      const row = (path: string) => Number(/^requests\[(\d+)\]/.exec(path)?.[1] ?? -1);
      throw new InvalidRequestError(errors.sort((a, b) => row(a.path) - row(b.path)), message('CERTIFICATION.ROSTER_INVALID'));
    }
    const rows = prepared as Prepared[];
    const purposes = (values as CertificationRequestDto[]).map((dto) => dto.purpose);
    await Promise.all(
      [...new Set(purposes)].map((purpose) => this.audit.recordAccess(rows.filter((_, i) => purposes[i] === purpose).map((row) => row.personKey), 'certification', purpose)),
    );
    const requestHash = contentHash({ requests: rows.map((row) => row.requestHash.toString('hex')).join(',') });

    const replayBatch = async () => {
      const batch = (await this.certifications.findBatchByIdempotencyKey(clientId, key!))!;
      if (!batch.requestHash.equals(requestHash)) throw this.idempotencyConflict();
      return { batchId: batch.id, ids: await this.certifications.batchIds(batch.id) };
    };
    if (key && (await this.certifications.findBatchByIdempotencyKey(clientId, key))) return replayBatch();

    const batchId = newId();
    const certifications = rows.map((row) => ({ ...row, id: newId(), clientId, batchId, idempotencyKey: null }));
    try {
      await transactionWithRetry(this.dataSource, async (manager) => {
        await this.certifications.insertBatch(manager, { id: batchId, clientId, idempotencyKey: key, requestHash, total: rows.length });
        await this.certifications.insertCertifications(manager, certifications);
      });
    } catch (error) {
      if (key && isDuplicateKey(error, UNIQUE_BATCH_KEY)) return replayBatch();
      throw error;
    }
    const ids = certifications.map((row) => row.id);
    await this.enqueue(ids);
    return { batchId, ids };
  }

  async get(id: string): Promise<CertificationDto> {
    const row = await this.visibleCertification(id);
    await this.audit.recordAccess([row.personKey], 'certification_read');
    return toView(row);
  }

  /** The printed result (资格审查结果) of a completed certification, with its summary, checks and QR code. */
  async pdf(id: string): Promise<Buffer> {
    const row = await this.visibleCertification(id);
    if (row.status !== 'completed' || !row.decision || !row.completedAt || !row.verifyCode) {
      throw new ConflictError('CERTIFICATION.NOT_COMPLETED', message('CERTIFICATION.NOT_COMPLETED'));
    }
    const [ledger] = await Promise.all([this.ledger.readLedger(row.personKey), this.audit.recordAccess([row.personKey], 'certification_read')]);
    const decision = JSON.parse(row.decision) as Decision;
    const request = JSON.parse(row.request) as EligibilityRequest;
    return renderCertificationResult({
      name: ledger?.person.name ?? '',
      idNumberMasked: row.idNumberMasked,
      request: `${this.ruleSets.cityName(request.city)} ${request.applicationYear}年 ${TRACK_NAMES[request.track]}${LEVEL_NAMES[request.titleLevel]}${request.series ? `（${request.series}）` : ''}`,
      outcome: OUTCOME_WORDS[decision.decision],
      summary: decision.summary,
      checks: decision.checks.map((check) => ({ name: CHECK_NAMES[check.code] ?? check.code, passed: check.passed, detail: describeCheck(check) })),
      ruleSet: `${decision.ruleSet.citation.document} ${decision.ruleSet.citation.section}`,
      issuer: this.config.get('ISSUER_NAME', { infer: true }),
      completedAt: new Date(isoTimestamp(row.completedAt)),
      verifyCode: row.verifyCode,
      verifyUrl: `${this.config.get('PUBLIC_BASE_URL', { infer: true })}/verify/${row.verifyCode}`,
    });
  }

  async deliveries(id: string) {
    await this.visibleCertification(id);
    const rows = await this.certifications.deliveries(id);
    return rows.map((row) => ({ ...row, succeeded: Boolean(row.succeeded), attemptedAt: isoTimestamp(row.attemptedAt) }));
  }

  async batchSummary(batchId: string): Promise<BatchSummaryDto> {
    const batch = await this.visibleBatch(batchId);
    const summary: BatchSummaryDto = { id: batch.id, total: batch.total, queued: 0, running: 0, completed: 0, failed: 0, eligible: 0, ineligible: 0, undetermined: 0 };
    for (const { status, outcome, n } of await this.certifications.batchCounts(batchId)) {
      summary[status] += n;
      if (outcome === 'eligible' || outcome === 'ineligible' || outcome === 'undetermined') summary[outcome] += n;
    }
    return summary;
  }

  async batchPage(batchId: string, cursor: string | undefined, limit: number) {
    await this.visibleBatch(batchId);
    const rows = await this.certifications.listBatch(batchId, decodeCursor(cursor), limit + 1);
    await this.audit.recordAccess(rows.slice(0, limit).map((row) => row.personKey), 'certification_read');
    const items = rows.slice(0, limit).map(toView);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  /**
   * The roster for the review committee, one row per request in submission order (ids are UUIDv7,
   * generated in order): its row number, the person, the request, the decision and its summary.
   */
  async batchExport(batchId: string): Promise<{ header: string[]; rows: Cell[][] }> {
    await this.visibleBatch(batchId);
    const header = ['序号', '姓名', '身份证号（脱敏）', '城市', '申报年度', '申报类型', '职称级别', '职称系列', '状态', '结论', '说明', '认证编号'];
    const exported = await this.certifications.exportBatch(batchId);
    await this.audit.recordAccess(exported.map((row) => row.personKey), 'certification_read');
    const rows = exported.map((row, index): Cell[] => {
      const request = JSON.parse(row.request) as EligibilityRequest;
      const decision = row.decision ? (JSON.parse(row.decision) as Decision) : null;
      return [
        index + 1,
        row.name,
        row.idNumberMasked,
        this.ruleSets.cityName(request.city),
        request.applicationYear,
        TRACK_NAMES[request.track],
        LEVEL_NAMES[request.titleLevel],
        request.series ?? '',
        STATUS_WORDS[row.status],
        decision ? OUTCOME_WORDS[decision.decision] : '',
        decision?.summary ?? row.failureReason ?? '',
        row.id,
      ];
    });
    return { header, rows };
  }

  /** Validates one request against the rule set in force (without reading any ledger) and reduces the person to their HMAC. */
  private prepare(dto: CertificationRequestDto, path: string): Prepared {
    // The purpose goes to the person's access log, not into the request that is judged and hashed.
    const { idNumber, callbackUrl, purpose: _purpose, ...criteria } = dto;
    try {
      evaluate(this.ruleSets.forRequest(criteria as EligibilityRequest), criteria as EligibilityRequest, []);
    } catch (error) {
      if (error instanceof EvaluationInputError) throw new InvalidRequestError(inputFieldErrors(error, path));
      if (error instanceof InvalidRequestError) throw new InvalidRequestError((error.errors ?? []).map((e) => ({ ...e, path: `${path}${e.path}` })));
      throw error;
    }
    const personKey = this.pii.lookupHash(idNumber);
    const idNumberMasked = maskIdNumber(idNumber);
    const request = canonicalJson(criteria);
    return {
      personKey,
      idNumberMasked,
      request: JSON.stringify({ ...criteria, idNumberMasked }),
      callbackUrl: callbackUrl ?? null,
      requestHash: contentHash({ person: personKey.toString('hex'), request, callbackUrl: callbackUrl ?? '' }),
    };
  }

  /** Each callbackUrl against the webhook policy (https in production, public hosts), each distinct URL checked once. */
  private async callbackErrors(prepared: (Prepared | null)[], pathOf: (index: number) => string): Promise<FieldError[]> {
    const checks = new Map<string, ReturnType<CallbackPolicy['problem']>>();
    const errors: FieldError[] = [];
    for (const [index, row] of prepared.entries()) {
      if (!row?.callbackUrl) continue;
      if (!checks.has(row.callbackUrl)) checks.set(row.callbackUrl, this.callbackPolicy.problem(row.callbackUrl));
      const problem = await checks.get(row.callbackUrl)!;
      if (problem) errors.push({ path: `${pathOf(index)}callbackUrl`, message: problem });
    }
    return errors;
  }

  private replay(existing: CertificationRow, prepared: Prepared) {
    if (!existing.requestHash.equals(prepared.requestHash)) throw this.idempotencyConflict();
    return { id: existing.id, status: existing.status };
  }

  private idempotencyConflict() {
    return new ConflictError('CERTIFICATION.IDEMPOTENCY_CONFLICT', message('CERTIFICATION.IDEMPOTENCY_CONFLICT'));
  }

  private checkIdempotencyKey(key: string | undefined): string | null {
    if (key === undefined) return null;
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new InvalidRequestError([fieldError('Idempotency-Key', 'FIELD.IDEMPOTENCY_KEY')]);
    }
    return key;
  }

  /** While Redis is down a submission fails at once, before anything is written, rather than hang. */
  private assertQueueAvailable(): void {
    if (this.redis.status !== 'ready') {
      throw new ServiceUnavailableError('QUEUE.UNAVAILABLE', message('QUEUE.UNAVAILABLE'), 5);
    }
  }

  private async enqueue(ids: string[]): Promise<void> {
    try {
      await this.queues.certifications.addBulk(certifyJobs(ids));
    } catch (error) {
      this.logger.warn(`Could not enqueue ${ids.length} certification(s), the sweeper will: ${redactQuoted((error as Error).message)}`);
    }
  }

  /** The caller sees its own certifications (a title system), or every one (an admin); anything else is reported missing. */
  private async visibleCertification(id: string): Promise<CertificationRow> {
    const row = UUID_PATTERN.test(id) ? await this.certifications.find(id) : null;
    if (!row || !canSee(this.caller.principal, row.clientId)) throw new NotFoundError('CERTIFICATION.NOT_FOUND', message('CERTIFICATION.NOT_FOUND', { id }));
    return row;
  }

  private async visibleBatch(id: string) {
    const batch = UUID_PATTERN.test(id) ? await this.certifications.findBatch(id) : null;
    if (!batch || !canSee(this.caller.principal, batch.clientId)) throw new NotFoundError('CERTIFICATION.BATCH_NOT_FOUND', message('CERTIFICATION.BATCH_NOT_FOUND', { id }));
    return batch;
  }
}

const canSee = (principal: Principal, clientId: string) =>
  principal.role === 'admin' || (principal.role === 'title_system' && principal.clientId === clientId);

export function toView(row: CertificationRow): CertificationDto {
  return {
    id: row.id,
    status: row.status,
    batchId: row.batchId,
    request: JSON.parse(row.request),
    ...(row.decision ? { decision: JSON.parse(row.decision) } : {}),
    ...(row.certificate ? { certificate: row.certificate } : {}),
    ...(row.completedAt ? { completedAt: isoTimestamp(row.completedAt) } : {}),
    ...(row.failureReason ? { failureReason: row.failureReason } : {}),
    createdAt: isoTimestamp(row.createdAt),
  };
}

/** RFC 4180 quoting, and no leading = + - @ that a spreadsheet would run as a formula. */

