import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { statement, type Statement } from '../database/statements.js';
import { chunk } from '../database/transactions.js';
import type { YearTotals } from '../rules/engine/index.js';
import { chainHash, type ChainedContent, GENESIS } from './chain.js';
import { type Category, type EntrySource, postingKey } from './ledger.types.js';

/** An entry as stored, joined with its person's masked ID and the entry that reversed it, if any. */
export interface EntryRow {
  id: string;
  externalId: string | null;
  idNumberMasked: string;
  personName: string;
  category: Category;
  hoursTenths: number;
  completedOn: string;
  courseTitle: string;
  reversesEntryId: string | null;
  reversedByEntryId: string | null;
  reversalReason: string | null;
  createdAt: string;
}

/**
 * An entry as a person's ledger shows it: with its provider, without the provider's own record id;
 * each row carries the person's masked ID number and name, so that one statement reads a ledger.
 */
export interface LedgerEntryRow {
  idNumberMasked: string;
  personName: string;
  id: string;
  ledgerYear: number;
  category: Category;
  hoursTenths: number;
  completedOn: string;
  courseTitle: string;
  source: EntrySource;
  /** The provider's code (provider entries only) and the recording organisation's name. */
  providerCode: string | null;
  recorderName: string;
  reversesEntryId: string | null;
  reversedByEntryId: string | null;
  reversalReason: string | null;
  createdAt: string;
}

export interface EntryFact {
  id: string;
  ledgerYear: number;
  category: Category;
  hoursTenths: number;
  completedOn: string;
}

export interface NewPersonRow {
  id: string;
  personKey: Buffer;
  idNumberCipher: Buffer;
  idNumberMasked: string;
  name: string;
}

/** What a provider searches its entries by: a part of the course title, a completion date. */
export interface EntrySearch {
  course?: string;
  completedOn?: string;
}

/** The latest posting of an externalId: a new posting replays it, conflicts with it, or (once reversed) follows it. */
export interface ExistingEntry {
  id: string;
  generation: number;
  contentHash: Buffer;
  reversed: boolean;
}

/** A person as ingest needs them: the id, and the name on record that every entry must carry. */
export interface PersonRef {
  id: string;
  name: string;
}

export interface NameChangeRow {
  oldName: string;
  newName: string;
  reason: string;
  createdAt: string;
}

/** An entry to append: every column the hash chain covers (createdAt as stored: storedTimestamp, formatted once a write). */
export interface NewEntryRow extends ChainedContent {
  source: EntrySource;
  category: Category;
}

/** Persons' hash-chain heads by person id: how many entries, and the last chain hash. */
export type ChainHeads = Map<string, { seq: number; hash: Buffer }>;

/** A person locked for a write: who, the name on record, and the chain head. */
export type LockedPerson = PersonRef & { seq: number; hash: Buffer };

/** Locked persons by HMAC hex, and their year totals (all categories together) by `hmac hex:year`. */
export interface LockedPersons {
  persons: Map<string, LockedPerson>;
  yearSums: Map<string, number>;
}

export const UNIQUE_EXTERNAL_ID = 'uq_hour_entries_provider_external';
export const UNIQUE_REVERSAL = 'uq_hour_entries_reverses';

const ENTRY_COLUMNS = `e.id, e.external_id AS externalId, p.id_number_masked AS idNumberMasked, e.person_name AS personName,
  e.category, e.hours_tenths AS hoursTenths, e.completed_on AS completedOn, e.course_title AS courseTitle,
  e.reverses_entry_id AS reversesEntryId, r.id AS reversedByEntryId, e.reversal_reason AS reversalReason, e.created_at AS createdAt`;
/** Every column the hash chain covers, as ChainedContent names them. */
export const CHAINED_COLUMNS = `id, source, provider_id AS providerId, recorder_name AS recorderName, external_id AS externalId,
  external_generation AS externalGeneration, person_id AS personId, category, hours_tenths AS hoursTenths, completed_on AS completedOn,
  ledger_year AS ledgerYear, person_name AS personName, course_title AS courseTitle, content_hash AS contentHash,
  reverses_entry_id AS reversesEntryId, reversal_reason AS reversalReason, created_at AS createdAt`;
const ENTRY_FROM = `hour_entries e JOIN persons p ON p.id = e.person_id LEFT JOIN hour_entries r ON r.reverses_entry_id = e.id`;

/** Exported for the benchmark's raw baseline, which runs the very same statement. */
export const LEDGER_SQL = `SELECT p.id_number_masked AS idNumberMasked, p.name AS personName, e.id, e.ledger_year AS ledgerYear, e.category,
    e.hours_tenths AS hoursTenths, e.completed_on AS completedOn, e.course_title AS courseTitle, e.source, pr.code AS providerCode,
    COALESCE(pr.name, e.recorder_name) AS recorderName, e.reverses_entry_id AS reversesEntryId, r.id AS reversedByEntryId, e.reversal_reason AS reversalReason,
    e.created_at AS createdAt
  FROM persons p JOIN hour_entries e ON e.person_id = p.id LEFT JOIN providers pr ON pr.id = e.provider_id
    LEFT JOIN hour_entries r ON r.reverses_entry_id = e.id
  WHERE p.id_number_hmac = ? ORDER BY e.ledger_year DESC, e.completed_on DESC, e.id DESC`;

const TOTAL_COLUMN: Record<Category, number> = { professional: 0, general_public: 1, industry_public: 2 };

/**
 * Owns persons, hour_entries and year_totals. What a write runs is returned as statements
 * (database/statements.ts) for the caller to send in its transaction, several in one round trip;
 * reads are raw SQL shaped for their one use.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest posting of each of these providers' externalIds, by posting key (ledger.types.ts). */
  findByExternalIds(postings: { providerId: string; externalId: string }[]): Statement<Map<string, ExistingEntry>> {
    const byProvider = new Map<string, Set<string>>();
    for (const { providerId, externalId } of postings) byProvider.set(providerId, (byProvider.get(providerId) ?? new Set()).add(externalId));
    const parts = [...byProvider].flatMap(([providerId, externalIds]) => chunk([...externalIds]).map((ids) => [providerId, ids] as const));
    return statement(
      parts.map(
        () => `SELECT e.id, e.provider_id AS providerId, e.external_id AS externalId, e.external_generation AS generation, e.content_hash AS contentHash,
           r.id IS NOT NULL AS reversed
         FROM hour_entries e LEFT JOIN hour_entries r ON r.reverses_entry_id = e.id
         WHERE e.provider_id = ? AND e.external_id IN (?)`,
      ),
      parts.map(([providerId, ids]) => [providerId, ids]),
      (results: (Omit<ExistingEntry, 'reversed'> & { providerId: string; externalId: string; reversed: number })[][]) => {
        const latest = new Map<string, ExistingEntry>();
        for (const { providerId, externalId, reversed, ...row } of results.flat()) {
          const key = postingKey(providerId, externalId);
          const known = latest.get(key);
          if (!known || row.generation > known.generation) latest.set(key, { ...row, reversed: Boolean(reversed) });
        }
        return latest;
      },
    );
  }

  /** The name on record for this person, or null for a person without entries. */
  async nameOf(personKey: Buffer): Promise<string | null> {
    const rows: { name: string }[] = await this.dataSource.query('SELECT name FROM persons WHERE id_number_hmac = ?', [personKey]);
    return rows[0]?.name ?? null;
  }

  /**
   * Persons by HMAC hex, locked (in HMAC order), with their names and chain heads as committed, and
   * their year totals of these years (all categories together, keyed `hmac hex:year`, locked too):
   * what a write needs for the name check, the daily bound and the hash chain, in one statement.
   * Until the transaction ends no other writer changes these persons' ledgers.
   */
  lockPersons(wanted: { personKey: Buffer; year: number }[]): Statement<LockedPersons> {
    const parts = partsByPerson(wanted.map(({ personKey, year }) => ({ personKey, value: year })));
    return statement(
      parts.map(
        () => `SELECT p.id, p.name, p.id_number_hmac AS personKey, p.chain_seq AS seq, p.chain_head AS head, t.ledger_year AS year,
           t.professional_tenths + t.general_public_tenths + t.industry_public_tenths AS tenths
         FROM persons p LEFT JOIN year_totals t ON t.person_id = p.id AND t.ledger_year IN (?)
         WHERE p.id_number_hmac IN (?) ORDER BY p.id_number_hmac FOR UPDATE`,
      ),
      parts.map((part) => [part.values, part.personKeys]),
      (results: { id: string; name: string; personKey: Buffer; seq: number; head: Buffer | null; year: number | null; tenths: string | null }[][]) => {
        const locked: LockedPersons = { persons: new Map(), yearSums: new Map() };
        for (const row of results.flat()) {
          const hex = row.personKey.toString('hex');
          locked.persons.set(hex, { id: row.id, name: row.name, seq: row.seq, hash: row.head ?? GENESIS });
          if (row.year !== null) locked.yearSums.set(`${hex}:${row.year}`, Number(row.tenths));
        }
        return locked;
      },
    );
  }

  /**
   * Inserts persons not recorded yet. A concurrent transaction may insert the same person first:
   * `id = id` keeps its row (a person's first recorded name stays); lockPersons then reads it.
   */
  insertPersons(persons: NewPersonRow[]): Statement<void> {
    const parts = chunk([...persons].sort((a, b) => Buffer.compare(a.personKey, b.personKey)));
    const now = new Date();
    return statement(
      parts.map(() => 'INSERT INTO persons (id, id_number_hmac, id_number_cipher, id_number_masked, name, created_at) VALUES ? ON DUPLICATE KEY UPDATE id = id'),
      parts.map((part) => [part.map((p) => [p.id, p.personKey, p.idNumberCipher, p.idNumberMasked, p.name, now])]),
    );
  }

  /**
   * What the provider has recorded (reversals netted) per person and completion date, for these
   * persons (by HMAC) and dates, keyed `hmac hex:date`. Read after the persons' lock, it counts every
   * committed entry.
   */
  sumsByPersonDay(providerId: string, days: { personKey: Buffer; completedOn: string }[]): Statement<Map<string, number>> {
    const parts = partsByPerson(days.map((day) => ({ personKey: day.personKey, value: day.completedOn })));
    return statement(
      parts.map(
        () => `SELECT p.id_number_hmac AS personKey, e.completed_on AS value, SUM(e.hours_tenths) AS tenths
         FROM persons p STRAIGHT_JOIN hour_entries e ON e.person_id = p.id
         WHERE p.id_number_hmac IN (?) AND e.provider_id = ? AND e.completed_on IN (?) GROUP BY p.id_number_hmac, e.completed_on`,
      ),
      parts.map((part) => [part.personKeys, providerId, part.values]),
      (results: { personKey: Buffer; value: string; tenths: string }[][]) =>
        new Map(results.flat().map((row) => [`${row.personKey.toString('hex')}:${row.value}`, Number(row.tenths)])),
    );
  }

  /**
   * Locks these persons' rows (in id order, as every writer locks them) and returns their chain heads.
   * Every write to a person's ledger holds this lock until it commits: it is what serialises the
   * writers of one person, so checks made after it (the daily bound) see every committed entry.
   */
  lockChainHeads(personIds: Iterable<string>): Statement<ChainHeads> {
    const parts = chunk([...new Set(personIds)].sort());
    return statement(
      parts.map(() => 'SELECT id, chain_seq AS seq, chain_head AS head FROM persons WHERE id IN (?) ORDER BY id FOR UPDATE'),
      parts.map((part) => [part]),
      (results: { id: string; seq: number; head: Buffer | null }[][]) => new Map(results.flat().map((row) => [row.id, { seq: row.seq, hash: row.head ?? GENESIS }])),
    );
  }

  /**
   * Appends entries and adds them to their year totals. Each entry is linked into its person's hash
   * chain: the heads (locked by the caller, with lockPersons or lockChainHeads) are extended in the
   * entries' order and stored back.
   */
  appendEntries(entries: NewEntryRow[], heads: ChainHeads): Statement<void> {
    const chained = entries.map((e) => {
      const head = heads.get(e.personId);
      if (!head) throw new Error(`Person ${e.personId} of entry ${e.id} is not locked`);
      head.seq += 1;
      head.hash = chainHash(head.hash, e);
      return { entry: e, seq: head.seq, hash: head.hash };
    });
    const entryParts = chunk(chained);
    const headParts = chunk([...new Set(entries.map((e) => e.personId))].map((id) => [id, heads.get(id)!] as const));
    const totalParts = chunk(yearTotalRows(entries));
    return statement(
      [
        ...entryParts.map(
          () => `INSERT INTO hour_entries (id, source, provider_id, recorder_name, external_id, external_generation, person_id, category, hours_tenths, completed_on,
           ledger_year, person_name, course_title, content_hash, reverses_entry_id, reversal_reason, created_at, chain_seq, chain_hash) VALUES ?`,
        ),
        // Several new heads as a derived table, joined first (STRAIGHT_JOIN) so that each person is found
        // by its key: 7 ms for 1,000 persons, where a CASE over the ids takes 13 and grows with the square.
        // One head (a single post) by its key: the derived table's temporary table would cost more than the update.
        ...headParts.map((part) =>
          part.length === 1
            ? 'UPDATE persons SET chain_seq = ?, chain_head = ? WHERE id = ?'
            : `UPDATE (${part.map(() => 'SELECT ? AS id, ? AS seq, ? AS head').join(' UNION ALL ')}) AS heads
           STRAIGHT_JOIN persons p ON p.id = heads.id SET p.chain_seq = heads.seq, p.chain_head = heads.head`,
        ),
        ...totalParts.map(
          () => `INSERT INTO year_totals (person_id, ledger_year, professional_tenths, general_public_tenths, industry_public_tenths, entry_count)
         VALUES ? ON DUPLICATE KEY UPDATE
           professional_tenths = professional_tenths + VALUES(professional_tenths),
           general_public_tenths = general_public_tenths + VALUES(general_public_tenths),
           industry_public_tenths = industry_public_tenths + VALUES(industry_public_tenths),
           entry_count = entry_count + VALUES(entry_count)`,
        ),
      ],
      [
        ...entryParts.map((part) => [
          part.map(({ entry: e, seq, hash }) => [e.id, e.source, e.providerId, e.recorderName, e.externalId, e.externalGeneration, e.personId, e.category, e.hoursTenths,
            e.completedOn, e.ledgerYear, e.personName, e.courseTitle, e.contentHash, e.reversesEntryId, e.reversalReason, e.createdAt, seq, hash]),
        ]),
        ...headParts.map((part) => part.flatMap(([id, head]) => (part.length === 1 ? [head.seq, head.hash, id] : [id, head.seq, head.hash]))),
        ...totalParts.map((part) => [part]),
      ],
    );
  }

  /** The provider's own entry, locked for the reversal that is about to be written. */
  findOwnEntryForUpdate(manager: EntityManager, providerId: string, id: string): Promise<NewEntryRow | null> {
    return this.entryForUpdate(manager, 'id = ? AND provider_id = ?', [id, providerId]);
  }

  /** A self-reported entry, locked for its reversal. */
  findSelfReportedEntryForUpdate(manager: EntityManager, id: string): Promise<NewEntryRow | null> {
    return this.entryForUpdate(manager, "id = ? AND source = 'self_report'", [id]);
  }

  private async entryForUpdate(manager: EntityManager, where: string, params: unknown[]): Promise<NewEntryRow | null> {
    const rows: NewEntryRow[] = await manager.query(`SELECT ${CHAINED_COLUMNS} FROM hour_entries WHERE ${where} FOR UPDATE`, params);
    return rows[0] ?? null;
  }

  async findEntries(ids: string[]): Promise<EntryRow[]> {
    if (ids.length === 0) return [];
    return this.dataSource.query(`SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.id IN (?)`, [ids]);
  }

  /** The id of the latest posting of the provider's externalId, locked for a reversal; null if never posted. */
  async latestIdByExternalIdForUpdate(manager: EntityManager, providerId: string, externalId: string): Promise<string | null> {
    const rows: { id: string }[] = await manager.query(
      'SELECT id FROM hour_entries WHERE provider_id = ? AND external_id = ? ORDER BY external_generation DESC LIMIT 1 FOR UPDATE',
      [providerId, externalId],
    );
    return rows[0]?.id ?? null;
  }

  /** Every posting of the provider's externalId and the entries that reversed them, newest first. */
  async listByExternalId(providerId: string, externalId: string): Promise<EntryRow[]> {
    return this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM}
       WHERE e.provider_id = ? AND (e.external_id = ? OR e.reverses_entry_id IN (SELECT id FROM hour_entries WHERE provider_id = ? AND external_id = ?))
       ORDER BY e.id DESC`,
      [providerId, externalId, providerId, externalId],
    );
  }

  /** The provider's own entries (reversals included) for one person, by the HMAC of their ID number, newest first. */
  async listByProviderAndPerson(providerId: string, personKey: Buffer): Promise<EntryRow[]> {
    return this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE p.id_number_hmac = ? AND e.provider_id = ? ORDER BY e.id DESC`,
      [personKey, providerId],
    );
  }

  /** The person, locked for a name change; null for an ID number nobody has recorded hours for. */
  async findPersonForUpdate(manager: EntityManager, personKey: Buffer): Promise<(PersonRef & { idNumberMasked: string }) | null> {
    const rows: (PersonRef & { idNumberMasked: string })[] = await manager.query(
      'SELECT id, name, id_number_masked AS idNumberMasked FROM persons WHERE id_number_hmac = ? FOR UPDATE',
      [personKey],
    );
    return rows[0] ?? null;
  }

  /** Records a name change and makes the new name the one on record, in the caller's transaction. */
  async changeName(
    manager: EntityManager,
    change: { id: string; personId: string; oldName: string; newName: string; reason: string; changedByClientId: string | null; createdAt: Date },
  ): Promise<void> {
    await manager.query(
      'INSERT INTO person_name_changes (id, person_id, old_name, new_name, reason, changed_by_client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [change.id, change.personId, change.oldName, change.newName, change.reason, change.changedByClientId, change.createdAt],
    );
    await manager.query('UPDATE persons SET name = ? WHERE id = ?', [change.newName, change.personId]);
  }

  /** When an entry of these ledger years was first recorded (or reversed) after `after`; null if none was. */
  async firstChangeAfter(personKey: Buffer, fromYear: number, toYear: number, after: Date): Promise<string | null> {
    const rows: { at: string | null }[] = await this.dataSource.query(
      `SELECT MIN(e.created_at) AS at FROM persons p JOIN hour_entries e ON e.person_id = p.id
       WHERE p.id_number_hmac = ? AND e.ledger_year BETWEEN ? AND ? AND e.created_at > ?`,
      [personKey, fromYear, toYear, after],
    );
    return rows[0]?.at ?? null;
  }

  /** A person's name changes, oldest first (none for most people). */
  async nameChanges(personKey: Buffer): Promise<NameChangeRow[]> {
    return this.dataSource.query(
      `SELECT c.old_name AS oldName, c.new_name AS newName, c.reason, c.created_at AS createdAt
       FROM persons p JOIN person_name_changes c ON c.person_id = p.id WHERE p.id_number_hmac = ? ORDER BY c.id`,
      [personKey],
    );
  }

  /** The provider's entries, newest first, after the cursor (an entry id: ids sort by creation time). */
  async listByProvider(providerId: string, before: string | null, limit: number, search: EntrySearch = {}): Promise<EntryRow[]> {
    const where = ['e.provider_id = ?'];
    const params: unknown[] = [providerId];
    if (before) (where.push('e.id < ?'), params.push(before));
    if (search.course) (where.push("e.course_title LIKE CONCAT('%', ?, '%')"), params.push(search.course.replace(/[\\%_]/g, (c) => `\\${c}`)));
    if (search.completedOn) (where.push('e.completed_on = ?'), params.push(search.completedOn));
    return this.dataSource.query(`SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE ${where.join(' AND ')} ORDER BY e.id DESC LIMIT ?`, [...params, limit]);
  }


  /** A person's year totals by the HMAC of their ID number: one indexed read, empty for an unknown person. */
  async yearTotalsByPersonKey(personKey: Buffer): Promise<YearTotals[]> {
    return this.dataSource.query(
      `SELECT t.ledger_year AS year, t.professional_tenths AS professional, t.general_public_tenths AS generalPublic,
         t.industry_public_tenths AS industryPublic
       FROM persons p JOIN year_totals t ON t.person_id = p.id WHERE p.id_number_hmac = ? ORDER BY t.ledger_year DESC`,
      [personKey],
    );
  }

  /** What certificates attest: every entry of each person (by HMAC), in id order, in one statement. */
  async entryFactsByPersonKeys(personKeys: readonly Buffer[]): Promise<(EntryFact & { personKey: Buffer })[]> {
    return this.dataSource.query(
      `SELECT p.id_number_hmac AS personKey, e.id, e.ledger_year AS ledgerYear, e.category, e.hours_tenths AS hoursTenths,
         e.completed_on AS completedOn
       FROM persons p JOIN hour_entries e ON e.person_id = p.id WHERE p.id_number_hmac IN (?) ORDER BY e.id`,
      [personKeys],
    );
  }

  /**
   * A person's whole ledger in one statement (one snapshot: the totals summed from it agree with the
   * entries shown), newest year first; no rows for a person without hours.
   */
  async ledgerByPersonKey(personKey: Buffer): Promise<LedgerEntryRow[]> {
    return this.dataSource.query(LEDGER_SQL, [personKey]);
  }
}

/** Year-total increments per (person, year), in key order, so that concurrent writers lock year totals in the same order. */
function yearTotalRows(entries: NewEntryRow[]): unknown[][] {
  const totals = new Map<string, { personId: string; year: number; tenths: [number, number, number]; count: number }>();
  for (const entry of entries) {
    const key = `${entry.personId}:${entry.ledgerYear}`;
    const total = totals.get(key) ?? { personId: entry.personId, year: entry.ledgerYear, tenths: [0, 0, 0], count: 0 };
    total.tenths[TOTAL_COLUMN[entry.category]] += entry.hoursTenths;
    total.count += 1;
    totals.set(key, total);
  }
  return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => [t.personId, t.year, ...t.tenths, t.count]);
}

/**
 * Values wanted per person (by HMAC), in parts for IN lists (`chunk`): each part's persons in HMAC
 * order — the order every writer locks persons in — and the values any of them wants.
 */
function partsByPerson<V>(wanted: { personKey: Buffer; value: V }[]): { personKeys: Buffer[]; values: V[] }[] {
  const byPerson = new Map<string, { personKey: Buffer; values: Set<V> }>();
  for (const { personKey, value } of wanted) {
    const hex = personKey.toString('hex');
    const person = byPerson.get(hex) ?? { personKey, values: new Set<V>() };
    person.values.add(value);
    byPerson.set(hex, person);
  }
  // Hex strings sort as their bytes do, and compare faster than buffers.
  const inOrder = [...byPerson].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, person]) => person);
  return chunk(inOrder).map((part) => ({
    personKeys: part.map((person) => person.personKey),
    values: [...new Set(part.flatMap((person) => [...person.values]))],
  }));
}
