import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Category } from '../ledger/ledger.types.js';
import type { ActivityStatus } from './self-report.entities.js';

export type ReviewStage = 'employer' | 'authority';
export type StepAction = 'submitted' | 'approved' | 'rejected' | 'withdrawn' | 'reversed';

export interface ActivityRow {
  id: string;
  personKey: Buffer;
  idNumberCipher: Buffer;
  idNumberMasked: string;
  personName: string;
  employerId: string;
  employerName: string;
  employerOrgCode: string;
  activityType: string;
  category: Category;
  hoursTenths: number;
  completedOn: string;
  ledgerYear: number;
  title: string;
  organiser: string;
  status: ActivityStatus;
  version: number;
  entryId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewActivityRow = Omit<ActivityRow, 'employerName' | 'employerOrgCode' | 'version' | 'entryId' | 'createdAt' | 'updatedAt'>;

export interface StepRow {
  id: string;
  activityId: string;
  action: StepAction;
  stage: ReviewStage | null;
  comment: string | null;
  actorKind: string;
  actorId: string | null;
  actorName: string;
  at: string;
}

export interface EvidenceRow {
  id: string;
  activityId: string;
  ordinal: number;
  fileSha256: Buffer;
  fileName: string;
  mediaType: string;
  size: number;
}

export interface NotificationRow {
  id: string;
  activityId: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
}

/** Whose activities a query reads: the applicant's own, an employer's employees', or what the authority may see. */
export type ActivityScope = { personKey: Buffer } | { employerId: string } | { authority: true };

const COLUMNS = `a.id, a.person_key AS personKey, a.id_number_cipher AS idNumberCipher, a.id_number_masked AS idNumberMasked,
  a.person_name AS personName, a.employer_id AS employerId, em.name AS employerName, em.org_code AS employerOrgCode,
  a.activity_type AS activityType, a.category, a.hours_tenths AS hoursTenths, a.completed_on AS completedOn, a.ledger_year AS ledgerYear,
  a.title, a.organiser, a.status, a.version, a.entry_id AS entryId, a.created_at AS createdAt, a.updated_at AS updatedAt`;
const FROM = 'activities a JOIN employers em ON em.id = a.employer_id';

/**
 * The authority sees what reached its stage: pending there, approved (to correct it by a reversal),
 * or decided there. An employer sees its own employees' activities; an applicant their own.
 */
function scopeCondition(scope: ActivityScope): { sql: string; params: unknown[] } {
  if ('personKey' in scope) return { sql: 'a.person_key = ?', params: [scope.personKey] };
  if ('employerId' in scope) return { sql: 'a.employer_id = ?', params: [scope.employerId] };
  return {
    sql: `(a.status IN ('pending_authority', 'approved') OR EXISTS (SELECT 1 FROM activity_steps s WHERE s.activity_id = a.id AND s.stage = 'authority'))`,
    params: [],
  };
}

/** Owns activities, activity_steps, activity_evidence and activity_notifications. */
@Injectable()
export class ActivitiesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, activity: NewActivityRow, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO activities (id, person_key, id_number_cipher, id_number_masked, person_name, employer_id, activity_type, category, hours_tenths,
         completed_on, ledger_year, title, organiser, status, version, entry_id, created_at, updated_at) VALUES ?`,
      [
        [
          [
            activity.id, activity.personKey, activity.idNumberCipher, activity.idNumberMasked, activity.personName, activity.employerId, activity.activityType,
            activity.category, activity.hoursTenths, activity.completedOn, activity.ledgerYear, activity.title, activity.organiser, activity.status, 0, null, at, at,
          ],
        ],
      ],
    );
  }

  async insertEvidence(manager: EntityManager, rows: EvidenceRow[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query('INSERT INTO activity_evidence (id, activity_id, ordinal, file_sha256, file_name, media_type, size) VALUES ?', [
      rows.map((r) => [r.id, r.activityId, r.ordinal, r.fileSha256, r.fileName, r.mediaType, r.size]),
    ]);
  }

  async insertStep(manager: EntityManager, step: Omit<StepRow, 'at'> & { at: Date }): Promise<void> {
    await manager.query('INSERT INTO activity_steps (id, activity_id, action, stage, comment, actor_kind, actor_id, actor_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      step.id, step.activityId, step.action, step.stage, step.comment, step.actorKind, step.actorId, step.actorName, step.at,
    ]);
  }

  /**
   * Hours of this type and year that count against its cap: pending and approved reports, less those
   * whose entry the authority reversed. Locks the person's rows of that type and year (and the gap
   * where a new one would go), so that two reports at once cannot pass the cap together.
   */
  async countedTenthsForUpdate(manager: EntityManager, personKey: Buffer, year: number, activityType: string): Promise<number> {
    const rows: { status: string; tenths: number; reversed: number }[] = await manager.query(
      `SELECT a.status, a.hours_tenths AS tenths,
         EXISTS (SELECT 1 FROM activity_steps s WHERE s.activity_id = a.id AND s.action = 'reversed') AS reversed
       FROM activities a WHERE a.person_key = ? AND a.ledger_year = ? AND a.activity_type = ? FOR UPDATE`,
      [personKey, year, activityType],
    );
    return rows
      .filter((row) => ['pending_employer', 'pending_authority', 'approved'].includes(row.status) && !Number(row.reversed))
      .reduce((sum, row) => sum + row.tenths, 0);
  }

  async find(id: string, scope: ActivityScope, manager: EntityManager = this.dataSource.manager, forUpdate = false): Promise<ActivityRow | null> {
    const where = scopeCondition(scope);
    const rows: ActivityRow[] = await manager.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = ? AND ${where.sql}${forUpdate ? ' FOR UPDATE' : ''}`, [
      id,
      ...where.params,
    ]);
    return rows[0] ?? null;
  }

  /** Newest first; `statuses` narrows (a reviewer's queue), `decidedBy` keeps what that reviewer acted on. */
  async list(scope: ActivityScope, options: { statuses?: ActivityStatus[]; decidedByActorId?: string; limit: number }): Promise<ActivityRow[]> {
    const where = scopeCondition(scope);
    const conditions = [where.sql];
    const params = [...where.params];
    if (options.statuses) {
      conditions.push('a.status IN (?)');
      params.push(options.statuses);
    }
    if (options.decidedByActorId) {
      conditions.push("EXISTS (SELECT 1 FROM activity_steps d WHERE d.activity_id = a.id AND d.actor_id = ? AND d.action IN ('approved', 'rejected', 'reversed'))");
      params.push(options.decidedByActorId);
    }
    return this.dataSource.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE ${conditions.join(' AND ')} ORDER BY a.created_at DESC, a.id DESC LIMIT ?`, [
      ...params,
      options.limit,
    ]);
  }

  /** Moves the status, guarded by the version the caller read under its lock. */
  async transition(manager: EntityManager, activity: ActivityRow, status: ActivityStatus, at: Date, entryId: string | null = activity.entryId): Promise<void> {
    const result: { affectedRows: number } = await manager.query(
      'UPDATE activities SET status = ?, entry_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?',
      [status, entryId, at, activity.id, activity.version],
    );
    if (result.affectedRows !== 1) throw new Error(`Activity ${activity.id} changed under its lock`);
  }

  async stepsOf(activityIds: string[], manager: EntityManager = this.dataSource.manager): Promise<StepRow[]> {
    if (activityIds.length === 0) return [];
    return manager.query(
      `SELECT id, activity_id AS activityId, action, stage, comment, actor_kind AS actorKind, actor_id AS actorId, actor_name AS actorName, at
       FROM activity_steps WHERE activity_id IN (?) ORDER BY at, id`,
      [activityIds],
    );
  }

  async evidenceOf(activityIds: string[]): Promise<EvidenceRow[]> {
    if (activityIds.length === 0) return [];
    return this.dataSource.query(
      `SELECT id, activity_id AS activityId, ordinal, file_sha256 AS fileSha256, file_name AS fileName, media_type AS mediaType, size
       FROM activity_evidence WHERE activity_id IN (?) ORDER BY activity_id, ordinal`,
      [activityIds],
    );
  }

  async insertNotification(manager: EntityManager, notification: { id: string; activityId: string; payload: string }, at: Date): Promise<void> {
    await manager.query("INSERT INTO activity_notifications (id, activity_id, payload, status, attempts, created_at, updated_at) VALUES (?, ?, ?, 'pending', 0, ?, ?)", [
      notification.id, notification.activityId, notification.payload, at, at,
    ]);
  }

  async notification(id: string): Promise<NotificationRow | null> {
    const rows: NotificationRow[] = await this.dataSource.query(
      'SELECT id, activity_id AS activityId, payload, status, attempts FROM activity_notifications WHERE id = ?',
      [id],
    );
    return rows[0] ?? null;
  }

  async settleNotification(id: string, status: 'delivered' | 'failed', attempts: number): Promise<void> {
    const now = new Date();
    await this.dataSource.query("UPDATE activity_notifications SET status = ?, attempts = ?, updated_at = ?, delivered_at = ? WHERE id = ? AND status = 'pending'", [
      status, attempts, now, status === 'delivered' ? now : null, id,
    ]);
  }

  async recordNotificationAttempt(id: string, attempts: number): Promise<void> {
    await this.dataSource.query('UPDATE activity_notifications SET attempts = ?, updated_at = ? WHERE id = ?', [attempts, new Date(), id]);
  }

  /** Pending notifications not touched since `before`: their jobs may be lost. */
  async staleNotifications(before: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      "SELECT id FROM activity_notifications WHERE status = 'pending' AND updated_at < ? ORDER BY updated_at LIMIT ?",
      [before, limit],
    );
    return rows.map((row) => row.id);
  }

  async touchNotifications(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.dataSource.query('UPDATE activity_notifications SET updated_at = ? WHERE id IN (?)', [new Date(), ids]);
  }
}
