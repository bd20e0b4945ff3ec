import { Injectable } from '@nestjs/common';
import { Caller } from '../auth/caller.js';
import type { Principal } from '../auth/principal.js';
import { newId } from '../common/ids.js';
import { decodeCursor, encodeCursor, isoTimestamp } from '../common/pagination.js';
import { AuditRepository, type LogRow } from './audit.repository.js';

/** What someone did with a person's data, as the person reads it in 查询记录. */
export const ACCESS_ACTIONS = {
  ledger_query: '查询学时账本',
  eligibility_preview: '核对申报条件',
  eligibility_plan: '测算还需学时',
  certification: '提交资格审查',
  certification_read: '查看资格审查结果',
  provider_lookup: '培训机构按身份证号查询其登记的学时',
  hours_certificate: '开具学时证明',
  review: '审核学时申报',
} as const;
export type AccessAction = keyof typeof ACCESS_ACTIONS;

export const ADMIN_ACTIONS = {
  provider_created: '登记培训机构',
  employer_created: '登记用人单位',
  client_created: '创建接入方',
  applicant_token_minted: '签发申请人登录凭证',
  name_changed: '登记姓名变更',
  ledger_verified: '校验账本完整性',
  key_created: '创建 API 密钥',
  key_revoked: '吊销 API 密钥',
  signing_key_rotated: '轮换证书签名密钥',
} as const;
export type AdminAction = keyof typeof ADMIN_ACTIONS;

const ACTOR_KINDS: Record<string, string> = { admin: '管理员', provider: '培训机构', title_system: '职称评审系统', employer: '用人单位', authority: '人力社保部门', applicant: '本人' };

const actorOf = (principal: Principal) =>
  principal.role === 'applicant'
    ? { actorKind: 'applicant', actorId: null, actorName: '本人' }
    : { actorKind: principal.role, actorId: principal.clientId, actorName: principal.name };

/**
 * The access log and the administrative audit log. Every read of a person's data by anyone else is
 * recorded in the request that reads it; a record that cannot be written fails the read.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly caller: Caller,
  ) {}

  /** Records that the caller read these persons' data (no record for a person reading their own). */
  async recordAccess(personKeys: Buffer[], action: AccessAction, purpose?: string): Promise<void> {
    const principal = this.caller.principal;
    if (principal.role === 'applicant') return;
    const at = new Date();
    const actor = actorOf(principal);
    await this.audit.insertAccess(personKeys.map((personKey) => ({ id: newId(), personKey, ...actor, action, purpose: purpose ?? null, at })));
  }

  /** Records what the caller did as an administrator (or to its own keys). */
  async recordAdmin(action: AdminAction, target?: string): Promise<void> {
    await this.audit.insertAudit({ id: newId(), ...actorOf(this.caller.principal), action, target: target ?? null, at: new Date() });
  }

  async accessLogOf(personKey: Buffer, cursor: string | undefined, limit: number) {
    return this.page(await this.audit.accessOf(personKey, decodeCursor(cursor), limit + 1), limit);
  }

  async everything(cursor: string | undefined, limit: number) {
    return this.page(await this.audit.everything(decodeCursor(cursor), limit + 1), limit);
  }

  private page(rows: LogRow[], limit: number) {
    const items = rows.slice(0, limit).map((row) => ({
      id: row.id,
      kind: row.kind,
      at: isoTimestamp(row.at),
      actor: { kind: row.actorKind, kindName: ACTOR_KINDS[row.actorKind] ?? row.actorKind, name: row.actorName },
      action: row.action,
      actionName: (ACCESS_ACTIONS as Record<string, string>)[row.action] ?? (ADMIN_ACTIONS as Record<string, string>)[row.action] ?? row.action,
      ...(row.kind === 'access' ? { purpose: row.detail } : { target: row.detail }),
    }));
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }
}
