import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, type EntityManager } from 'typeorm';
import { EmployersRepository } from '../admin/employers.repository.js';
import { AuditService } from '../audit/audit.service.js';
import { Caller } from '../auth/caller.js';
import type { Principal } from '../auth/principal.js';
import { ConflictError, DomainError, fieldError, InvalidRequestError, NotFoundError, type FieldError } from '../common/domain-error.js';
import { hoursToTenths, tenthsToHours } from '../common/hours.js';
import { newId, UUID_PATTERN } from '../common/ids.js';
import { message } from '../common/messages.js';
import { isoTimestamp } from '../common/pagination.js';
import type { AppConfig } from '../config/environment.js';
import { transactionWithRetry } from '../database/transactions.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { type ActivityType, capsInTenths } from './activity-types.js';
import { type ActivityRow, ActivitiesRepository, type ActivityScope, type EvidenceRow, type ReviewStage, type StepAction, type StepRow } from './activities.repository.js';
import { EvidenceStore } from './evidence-store.js';
import { NotificationQueue } from './notifications.js';
import type { ActivityStatus } from './self-report.entities.js';
import type { ActivityFields } from './dto/activity.dto.js';

export const ACTIVITY_TYPES = Symbol('ACTIVITY_TYPES');

export const STATUS_NAMES: Record<ActivityStatus, string> = {
  pending_employer: '待用人单位审核',
  pending_authority: '待人力社保部门审核',
  approved: '已通过，已计入学时',
  rejected: '未通过',
  withdrawn: '已撤回',
};

const STEP_NAMES: Record<StepAction, string> = { submitted: '提交申报', approved: '审核通过', rejected: '审核不通过', withdrawn: '撤回', reversed: '冲销已计入的学时' };
const STAGE_NAMES: Record<ReviewStage, string> = { employer: '用人单位', authority: '人力社保部门' };

export interface EvidenceUpload {
  fileName: string;
  mediaType: string;
  bytes: Buffer;
}

type Reviewer = Extract<Principal, { role: 'employer' | 'authority' }>;

/**
 * Self-reported activities (学时申报): an applicant reports an activity with evidence; its employer, then
 * (per REVIEW_STAGES) the authority approve or reject it; the last approval records one ledger entry
 * in the transaction that marks it approved. Every status change owes the deployment a notification
 * (an outbox row in the same transaction). Who may see an activity is decided here, in `scopeOf`.
 */
@Injectable()
export class SelfReportsService {
  readonly reviewStages: ReviewStage[];
  private readonly types: Map<string, ActivityType>;
  private readonly notify: boolean;

  constructor(
    private readonly dataSource: DataSource,
    private readonly activities: ActivitiesRepository,
    private readonly employers: EmployersRepository,
    private readonly evidence: EvidenceStore,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly caller: Caller,
    private readonly notifications: NotificationQueue,
    private readonly metrics: MetricsService,
    @Inject(ACTIVITY_TYPES) activityTypes: ActivityType[],
    config: ConfigService<AppConfig, true>,
  ) {
    this.reviewStages = config.get('REVIEW_STAGES', { infer: true }).split(',') as ReviewStage[];
    this.types = new Map(activityTypes.map((type) => [type.code, type]));
    this.notify = Boolean(config.get('NOTIFY_WEBHOOK_URL', { infer: true }));
  }

  activityTypes(): ActivityType[] {
    return [...this.types.values()];
  }

  async submit(fields: ActivityFields, files: EvidenceUpload[]) {
    const applicant = this.caller.as('applicant');
    const type = this.types.get(fields.activityType);
    const hoursTenths = hoursToTenths(fields.hours)!;
    const errors: FieldError[] = [];
    if (!type) {
      errors.push(fieldError('activityType', 'FIELD.UNKNOWN_ACTIVITY_TYPE', { codes: [...this.types.keys()] }));
    } else {
      if (!type.categories.includes(fields.category)) errors.push(fieldError('category', 'FIELD.CATEGORY_NOT_ALLOWED', { type: type.name, categories: type.categories }));
      if (hoursTenths > capsInTenths(type).perItem) errors.push(fieldError('hours', 'FIELD.ACTIVITY_ITEM_CAP', { type: type.name, max: type.maxHoursPerItem }));
      if (type.evidenceRequired && files.length === 0) errors.push(fieldError('evidence', 'FIELD.EVIDENCE_REQUIRED'));
    }
    const employer = await this.employers.findByOrgCode(fields.employerOrgCode);
    if (!employer) errors.push(fieldError('employerOrgCode', 'FIELD.UNKNOWN_EMPLOYER_CODE', { orgCode: fields.employerOrgCode }));
    const personName = (await this.ledger.nameOnRecord(applicant.personKey)) ?? applicant.name ?? fields.personName;
    if (!personName) errors.push(fieldError('personName', 'FIELD.REQUIRED'));
    if (!applicant.idNumberCipher) throw new DomainError('SELF_REPORT.SIGN_IN_AGAIN', 401, message('SELF_REPORT.SIGN_IN_AGAIN'));
    if (errors.length > 0) throw new InvalidRequestError(errors);

    const id = newId();
    const ledgerYear = Number(fields.completedOn.slice(0, 4));
    const perYear = capsInTenths(type!).perYear;
    const notificationIds = await transactionWithRetry(this.dataSource, async (manager) => {
      const counted = await this.activities.countedTenthsForUpdate(manager, applicant.personKey, ledgerYear, type!.code);
      if (counted + hoursTenths > perYear) {
        throw new InvalidRequestError([
          fieldError('hours', 'FIELD.ACTIVITY_YEAR_CAP', { type: type!.name, year: ledgerYear, max: type!.maxHoursPerYear, counted: tenthsToHours(counted), left: tenthsToHours(Math.max(0, perYear - counted)) }),
        ]);
      }
      const at = new Date();
      await this.activities.insert(
        manager,
        {
          id,
          personKey: applicant.personKey,
          idNumberCipher: applicant.idNumberCipher!,
          idNumberMasked: applicant.idNumberMasked,
          personName: personName!,
          employerId: employer!.id,
          activityType: type!.code,
          category: fields.category,
          hoursTenths,
          completedOn: fields.completedOn,
          ledgerYear,
          title: fields.title,
          organiser: fields.organiser,
          status: 'pending_employer',
        },
        at,
      );
      const evidence: EvidenceRow[] = [];
      for (const [ordinal, file] of files.entries()) {
        const fileSha256 = await this.evidence.put(manager, file.bytes);
        evidence.push({ id: newId(), activityId: id, ordinal, fileSha256, fileName: file.fileName, mediaType: file.mediaType, size: file.bytes.length });
      }
      await this.activities.insertEvidence(manager, evidence);
      const submitted = { id, status: 'pending_employer' as const, title: fields.title, hoursTenths, personName: personName!, idNumberMasked: applicant.idNumberMasked };
      return this.recordStep(manager, submitted, 'submitted', null, null, { actorKind: 'applicant', actorId: null, actorName: personName! }, at);
    });
    await this.notifications.add(notificationIds);
    return this.view((await this.activities.find(id, { personKey: applicant.personKey }))!, 'applicant');
  }

  async listMine() {
    return this.views(await this.activities.list({ personKey: this.caller.as('applicant').personKey }, { limit: 200 }), 'applicant');
  }

  async getMine(id: string) {
    return this.view(await this.findOrFail(id, { personKey: this.caller.as('applicant').personKey }), 'applicant');
  }

  /** The applicant takes back a report still awaiting review. */
  async withdraw(id: string) {
    const scope = { personKey: this.caller.as('applicant').personKey };
    const notificationIds = await transactionWithRetry(this.dataSource, async (manager) => {
      const activity = await this.findOrFail(id, scope, true, manager);
      if (!activity.status.startsWith('pending_')) throw new ConflictError('SELF_REPORT.NOT_PENDING', message('SELF_REPORT.NOT_PENDING', { status: STATUS_NAMES[activity.status] }));
      const at = new Date();
      await this.activities.transition(manager, activity, 'withdrawn', at);
      return this.recordStep(manager, { ...activity, status: 'withdrawn' }, 'withdrawn', null, null, { actorKind: 'applicant', actorId: null, actorName: activity.personName }, at);
    });
    await this.notifications.add(notificationIds);
    return this.getMine(id);
  }

  /** What awaits this reviewer's stage (`pending`), or what it has decided (`decided`); each read is in the persons' access logs. */
  async queue(status: 'pending' | 'decided') {
    const reviewer = this.caller.as('employer', 'authority');
    const stage: ReviewStage = reviewer.role;
    const rows = await this.activities.list(this.scopeOf(reviewer), {
      ...(status === 'pending' ? { statuses: [`pending_${stage}` as ActivityStatus] } : { decidedByActorId: reviewer.clientId }),
      limit: 200,
    });
    await this.recordReview(rows);
    return this.views(rows, 'reviewer');
  }

  async getForReview(id: string) {
    const reviewer = this.caller.as('employer', 'authority');
    const activity = await this.findOrFail(id, this.scopeOf(reviewer));
    await this.recordReview([activity]);
    return this.view(activity, 'reviewer');
  }

  /** An evidence file, to its applicant or to that activity's reviewers only (404 to anyone else). */
  async evidenceFile(id: string, fileId: string): Promise<{ file: EvidenceRow; bytes: Buffer }> {
    const principal = this.caller.as('applicant', 'employer', 'authority');
    const activity = await this.findOrFail(id, principal.role === 'applicant' ? { personKey: principal.personKey } : this.scopeOf(principal));
    const file = (await this.activities.evidenceOf([activity.id])).find((row) => row.id === fileId);
    const bytes = file ? await this.evidence.get(file.fileSha256) : null;
    if (!file || !bytes) throw new NotFoundError('SELF_REPORT.EVIDENCE_NOT_FOUND', message('SELF_REPORT.EVIDENCE_NOT_FOUND'));
    if (principal.role !== 'applicant') await this.recordReview([activity]);
    return { file, bytes };
  }

  /**
   * Approves or rejects at the reviewer's stage, under the activity's row lock: a second decision (or
   * a concurrent one) finds it decided and is 409. The last approval records the ledger entry in the
   * same transaction.
   */
  async decide(id: string, decision: 'approve' | 'reject', comment: string | undefined) {
    const reviewer = this.caller.as('employer', 'authority');
    const stage: ReviewStage = reviewer.role;
    let recorded = false;
    const notificationIds = await transactionWithRetry(this.dataSource, async (manager) => {
      recorded = false;
      const activity = await this.findOrFail(id, this.scopeOf(reviewer), true, manager);
      if (activity.status !== `pending_${stage}`) {
        throw new ConflictError('SELF_REPORT.NOT_AWAITING_STAGE', message('SELF_REPORT.NOT_AWAITING_STAGE', { status: STATUS_NAMES[activity.status] }));
      }
      const at = new Date();
      const last = this.reviewStages.indexOf(stage) === this.reviewStages.length - 1;
      const next: ActivityStatus = decision === 'reject' ? 'rejected' : last ? 'approved' : `pending_${this.reviewStages[this.reviewStages.indexOf(stage) + 1]}`;
      const entryId =
        next === 'approved'
          ? await this.ledger.appendSelfReported(manager, {
              activityId: activity.id,
              personKey: activity.personKey,
              idNumberCipher: activity.idNumberCipher,
              idNumberMasked: activity.idNumberMasked,
              personName: activity.personName,
              category: activity.category,
              hoursTenths: activity.hoursTenths,
              completedOn: activity.completedOn,
              title: activity.title,
              recorderName: reviewer.name,
            })
          : null;
      await this.activities.transition(manager, activity, next, at, entryId);
      recorded = entryId !== null;
      return this.recordStep(manager, { ...activity, status: next }, decision === 'approve' ? 'approved' : 'rejected', stage, comment ?? null, actorOf(reviewer), at);
    });
    if (recorded) this.metrics.entriesRecorded.inc({ source: 'self_report' });
    await this.notifications.add(notificationIds);
    return this.getForReview(id);
  }

  /**
   * The authority corrects an approved self-report as any entry is corrected: by a reversing entry,
   * written with the reversal step in one transaction under the activity's lock (a second reversal is 409).
   */
  async reverse(id: string, reason: string) {
    const reviewer = this.caller.as('authority');
    const notificationIds = await transactionWithRetry(this.dataSource, async (manager) => {
      const activity = await this.findOrFail(id, this.scopeOf(reviewer), true, manager);
      const reversed = (await this.activities.stepsOf([activity.id], manager)).some((step) => step.action === 'reversed');
      if (activity.status !== 'approved' || !activity.entryId || reversed) {
        throw new ConflictError('SELF_REPORT.NOT_APPROVED', message('SELF_REPORT.NOT_APPROVED', { status: reversed ? '已冲销' : STATUS_NAMES[activity.status] }));
      }
      await this.ledger.reverseSelfReportedIn(manager, activity.entryId, reason, reviewer.name);
      return this.recordStep(manager, activity, 'reversed', 'authority', reason, actorOf(reviewer), new Date());
    });
    this.metrics.entriesRecorded.inc({ source: 'self_report' });
    await this.notifications.add(notificationIds);
    return this.getForReview(id);
  }

  /** The step, and (when the deployment takes them) the notification it owes, both in the caller's transaction. */
  private async recordStep(
    manager: EntityManager,
    activity: Pick<ActivityRow, 'id' | 'status' | 'title' | 'hoursTenths' | 'personName' | 'idNumberMasked'>,
    action: StepAction,
    stage: ReviewStage | null,
    comment: string | null,
    actor: { actorKind: string; actorId: string | null; actorName: string },
    at: Date,
  ): Promise<string[]> {
    await this.activities.insertStep(manager, { id: newId(), activityId: activity.id, action, stage, comment, ...actor, at });
    if (!this.notify) return [];
    const notificationId = newId();
    const payload = {
      event: 'activity.status_changed',
      deliveryId: notificationId,
      at: at.toISOString(),
      action,
      actionName: STEP_NAMES[action],
      activity: { id: activity.id, status: activity.status, statusName: STATUS_NAMES[activity.status], title: activity.title, hours: tenthsToHours(activity.hoursTenths) },
      // Masked: the deployment maps the person to a phone or a 浙里办 account through its own sign-in records.
      person: { name: activity.personName, idNumberMasked: activity.idNumberMasked },
      ...(comment ? { comment } : {}),
    };
    await this.activities.insertNotification(manager, { id: notificationId, activityId: activity.id, payload: JSON.stringify(payload) }, at);
    return [notificationId];
  }

  /** Who sees what: an employer its employees' activities; the authority what reached it (and only when it is a stage). */
  private scopeOf(reviewer: Reviewer): ActivityScope {
    return reviewer.role === 'employer' ? { employerId: reviewer.employerId } : { authority: true };
  }

  private async findOrFail(id: string, scope: ActivityScope, forUpdate = false, manager = this.dataSource.manager): Promise<ActivityRow> {
    const activity = UUID_PATTERN.test(id) ? await this.activities.find(id, scope, manager, forUpdate) : null;
    if (!activity) throw new NotFoundError('SELF_REPORT.NOT_FOUND', message('SELF_REPORT.NOT_FOUND', { id }));
    return activity;
  }

  private async recordReview(rows: ActivityRow[]): Promise<void> {
    if (rows.length > 0) await this.audit.recordAccess([...new Map(rows.map((row) => [row.personKey.toString('hex'), row.personKey])).values()], 'review');
  }

  private async views(rows: ActivityRow[], audience: 'applicant' | 'reviewer') {
    const ids = rows.map((row) => row.id);
    const [steps, evidence] = await Promise.all([this.activities.stepsOf(ids), this.activities.evidenceOf(ids)]);
    return { items: rows.map((row) => this.shape(row, steps, evidence, audience)) };
  }

  private async view(row: ActivityRow, audience: 'applicant' | 'reviewer') {
    return (await this.views([row], audience)).items[0];
  }

  private shape(row: ActivityRow, steps: StepRow[], evidence: EvidenceRow[], audience: 'applicant' | 'reviewer') {
    const type = this.types.get(row.activityType);
    const own = steps.filter((step) => step.activityId === row.id);
    return {
      id: row.id,
      status: row.status,
      statusName: STATUS_NAMES[row.status],
      activityType: { code: row.activityType, name: type?.name ?? row.activityType },
      category: row.category,
      hours: tenthsToHours(row.hoursTenths),
      completedOn: row.completedOn,
      title: row.title,
      organiser: row.organiser,
      employer: { orgCode: row.employerOrgCode, name: row.employerName },
      ...(audience === 'reviewer' ? { person: { name: row.personName, idNumberMasked: row.idNumberMasked } } : {}),
      ledgerEntryId: row.entryId,
      reversed: own.some((step) => step.action === 'reversed'),
      evidence: evidence.filter((file) => file.activityId === row.id).map((file) => ({ id: file.id, fileName: file.fileName, mediaType: file.mediaType, size: file.size })),
      steps: own.map((step) => ({
        action: step.action,
        actionName: STEP_NAMES[step.action],
        stage: step.stage,
        stageName: step.stage ? STAGE_NAMES[step.stage] : null,
        comment: step.comment,
        actor: { kind: step.actorKind, name: step.actorName },
        at: isoTimestamp(step.at),
      })),
      createdAt: isoTimestamp(row.createdAt),
      updatedAt: isoTimestamp(row.updatedAt),
    };
  }
}

const actorOf = (reviewer: Reviewer) => ({ actorKind: reviewer.role, actorId: reviewer.clientId, actorName: reviewer.name });
