import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { DataSource, type EntityManager } from 'typeorm';
import { contentHash } from '../common/content-hash.js';
import { ConflictError, DomainError, fieldError, InvalidRequestError, NotFoundError, type FieldError } from '../common/domain-error.js';
import { message } from '../common/messages.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { hoursToTenths } from '../common/hours.js';
import { maskIdNumber } from '../common/id-number.js';
import { newId, UUID_PATTERN } from '../common/ids.js';
import { PiiService } from '../common/pii.service.js';
import { inRoundTrips, runTogether, type RoundTripTransaction } from '../database/statements.js';
import { isDuplicateKey, isTransientLockError, transactionWithRetry } from '../database/transactions.js';
import { storedTimestamp } from './chain.js';
import { entryContentHash } from './entry-content-hash.js';
import type { RecordHoursDto } from './dto/record-hours.dto.js';
import {
  EntryFact,
  EntryRow,
  type EntrySearch,
  LedgerRepository,
  NewEntryRow,
  NewPersonRow,
  type PersonRef,
  type ChainHeads,
  type ExistingEntry,
  type LockedPersons,
  UNIQUE_EXTERNAL_ID,
  UNIQUE_REVERSAL,
} from './ledger.repository.js';
import { LedgerDto } from './dto/ledger.responses.js';
import { sumYearTotals } from './year-totals.js';
import { PostGroups, type PostResult } from './post-groups.js';
import type { YearTotals } from '../rules/engine/index.js';
import { type Category, type PreparedEntry, postingKey, type RecordOutcome, type RecordStatus } from './ledger.types.js';

/** Entries that conflict with what the provider recorded before (or earlier in the same batch). */
export class EntryConflictError extends ConflictError {
  constructor(errors: FieldError[]) {
    super('LEDGER.ENTRY_CONFLICT', message('LEDGER.ENTRY_CONFLICT'), errors);
  }
}

/** An approved self-report, as the ledger records it. */
export interface SelfReportedEntry {
  activityId: string;
  personKey: Buffer;
  idNumberCipher: Buffer;
  idNumberMasked: string;
  /** The name the applicant reported under: used only when the ledger knows no name for them yet. */
  personName: string;
  category: Category;
  hoursTenths: number;
  completedOn: string;
  title: string;
  /** The organisation whose approval recorded it. */
  recorderName: string;
}

const personYear = (entry: PreparedEntry) => ({ personKey: entry.personKey, year: entry.ledgerYear });

/**
 * Single posts in groups (PostGroups): one group written at a time while groups finish quickly (fewer,
 * larger groups: on the 2-core benchmark machine one lane gave 20–26 % more posts a second than four,
 * docs/BENCHMARKS.md), up to four at once when the groups being written have taken 25 ms or more — most
 * likely waiting for a person that a large batch holds.
 */
const POST_GROUPS = { lanes: 4, maxGroup: 500, stalledMs: 25 };

/** The first attempt took every entry for new, and a check refused one: the next attempt reads what was posted before. */
class AssumedNewRefused extends Error {}

/** How a single post is answered: the stored entry, created now or replayed. */
export type PostAnswer = { status: RecordStatus; entry: EntryRow };

/** An entry a provider posts. */
interface Posting {
  providerId: string;
  dto: RecordHoursDto;
}

/** What a call recorded: each entry's outcome, and the entries it created. */
interface Recorded {
  outcomes: RecordOutcome[];
  created: NewEntryRow[];
}

export interface CertificationSnapshot {
  totals: YearTotals[];
  entries: EntryFact[];
}

@Injectable()
export class LedgerService {
  private readonly maxTenthsPerPersonDay: number;
  private readonly postGroups = new PostGroups(POST_GROUPS, (postings: Posting[]) => this.recordGroup(postings));

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly pii: PiiService,
    private readonly metrics: MetricsService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.maxTenthsPerPersonDay = config.get('MAX_HOURS_PER_PERSON_DAY', { infer: true }) * 10;
  }

  /**
   * Records entries all-or-nothing. Per entry: `created`, or `replayed` when the provider recorded
   * the same externalId with the same content before (in an earlier request or earlier in this one).
   * Any conflicting entry fails the whole call with EntryConflictError naming each by index.
   *
   * Two round trips when every entry is new: the persons locked and their year totals read, then the
   * entries, chain heads and year totals written with the COMMIT.
   */
  private async record(postings: Posting[], pathOf: (index: number) => string): Promise<Recorded> {
    const entries = postings.map(({ providerId, dto }) => this.prepare(providerId, dto));
    // Most postings are new: the first attempt takes them all for new, and the unique index says when
    // one is not (a replay, a conflict, a concurrent request's); the next attempt reads them first.
    const assumeNew = new Set(entries.map((entry) => entry.postingKey)).size === entries.length;
    const recorded = await inRoundTrips(
      this.dataSource,
      {
        isolation: 'READ COMMITTED',
        retryable: (error) => error instanceof AssumedNewRefused || isTransientLockError(error) || isDuplicateKey(error, UNIQUE_EXTERNAL_ID),
        attempts: 8,
      },
      async (tx, attempt) => {
        const assumingNew = assumeNew && attempt === 1;
        const [known] = assumingNew ? [new Map<string, ExistingEntry>()] : await tx.run(this.ledger.findByExternalIds(entries));
        const { outcomes, toInsert } = this.planOutcomes(entries, known, pathOf);
        if (toInsert.length === 0) return { outcomes, created: [] };

        // The persons' lock first, then the checks: a concurrent post for the same person waits here and
        // then sees this one's entries and name (the transaction reads committed rows, not a snapshot).
        const { persons, yearSums } = await this.lockPersons(tx, toInsert.map((row) => row.entry));
        try {
          this.assertNamesOnRecord(persons, toInsert, pathOf);
          await this.assertPlausibleDays(tx, yearSums, toInsert, pathOf);
        } catch (error) {
          // A replay is answered as it was even when the name on record changed since: look first.
          throw assumingNew && error instanceof InvalidRequestError ? new AssumedNewRefused() : error;
        }
        const createdAt = storedTimestamp(new Date());
        const created = toInsert.map(({ entry, id, generation }) => ({
          id,
          source: 'provider' as const,
          providerId: entry.providerId,
          recorderName: null,
          externalId: entry.externalId,
          externalGeneration: generation,
          personId: persons.get(entry.personHex)!.id,
          category: entry.category,
          hoursTenths: entry.hoursTenths,
          completedOn: entry.completedOn,
          ledgerYear: entry.ledgerYear,
          personName: entry.personName,
          courseTitle: entry.courseTitle,
          contentHash: entry.contentHash,
          reversesEntryId: null,
          reversalReason: null,
          createdAt,
        }));
        const heads: ChainHeads = new Map([...persons.values()].map((person) => [person.id, { seq: person.seq, hash: person.hash }]));
        await tx.commit(this.ledger.appendEntries(created, heads));
        return { outcomes, created };
      },
    );
    this.metrics.entriesRecorded.inc({ source: 'provider' }, recorded.created.length);
    return recorded;
  }

  /** Each entry's outcome given the latest postings of its provider's externalId (and the entries before it), by posting key. */
  private planOutcomes(entries: PreparedEntry[], known: Map<string, ExistingEntry>, pathOf: (index: number) => string) {
    const outcomes: RecordOutcome[] = [];
    const conflicts: FieldError[] = [];
    const toInsert: { entry: PreparedEntry; id: string; index: number; generation: number }[] = [];
    const latest = new Map(known);
    entries.forEach((entry, index) => {
      const previous = latest.get(entry.postingKey);
      // A reversed posting leaves its externalId free for a new one: the next generation.
      if (!previous || previous.reversed) {
        const id = newId();
        const generation = previous ? previous.generation + 1 : 0;
        latest.set(entry.postingKey, { id, generation, contentHash: entry.contentHash, reversed: false });
        toInsert.push({ entry, id, index, generation });
        outcomes.push({ index, id, status: 'created' });
      } else if (previous.contentHash.equals(entry.contentHash)) {
        outcomes.push({ index, id: previous.id, status: 'replayed' });
      } else {
        conflicts.push(
          fieldError([pathOf(index), 'externalId'].filter(Boolean).join('.'), 'FIELD.EXTERNAL_ID_CONFLICT', { externalId: entry.externalId, entryId: previous.id }),
        );
      }
    });
    if (conflicts.length > 0) throw new EntryConflictError(conflicts);
    return { outcomes, toInsert };
  }

  /**
   * One name per ID number: an entry must carry the name on record (the first entry's, or the latest
   * administrator's name change), as read under the persons' lock.
   */
  private assertNamesOnRecord(persons: Map<string, PersonRef>, rows: { entry: PreparedEntry; index: number }[], pathOf: (index: number) => string): void {
    const errors = rows
      .filter((row) => persons.get(row.entry.personHex)!.name !== row.entry.personName)
      .map((row) => fieldError([pathOf(row.index), 'personName'].filter(Boolean).join('.'), 'FIELD.NAME_MISMATCH'));
    if (errors.length > 0) throw new InvalidRequestError(errors);
  }

  /**
   * Plausibility: one provider records at most MAX_HOURS_PER_PERSON_DAY hours for one person on one
   * completion date, counting what it recorded before (reversals netted). Every entry of a day over
   * the bound is named. What a provider recorded on a day is at most the person's total of its year
   * (each provider's day nets to zero or more: a reversal falls on its entry's day), so only the days
   * whose year total and new hours together pass the bound are summed, in a round trip of their own.
   */
  private async assertPlausibleDays(
    tx: RoundTripTransaction,
    yearSums: Map<string, number>,
    rows: { entry: PreparedEntry; index: number }[],
    pathOf: (index: number) => string,
  ): Promise<void> {
    // A day's new hours are at most its person-year's: person-years whose total stays within the bound
    // with all their new hours need no look at their days (most of a batch's, with one key each).
    const yearKeys = rows.map(({ entry }) => `${entry.personHex}:${entry.ledgerYear}`);
    const newTenths = new Map<string, number>();
    rows.forEach(({ entry }, at) => newTenths.set(yearKeys[at], (newTenths.get(yearKeys[at]) ?? 0) + entry.hoursTenths));
    const overYears = new Set([...newTenths].filter(([yearKey, tenths]) => (yearSums.get(yearKey) ?? 0) + tenths > this.maxTenthsPerPersonDay).map(([yearKey]) => yearKey));
    if (overYears.size === 0) return;
    type Day = { providerId: string; key: string; personKey: Buffer; completedOn: string; yearKey: string; tenths: number; indexes: number[] };
    const days = new Map<string, Day>();
    for (const [at, { entry, index }] of rows.entries()) {
      const yearKey = yearKeys[at];
      if (!overYears.has(yearKey)) continue;
      // `key` as sumsByPersonDay keys its sums; a day is one provider's.
      const key = `${entry.personHex}:${entry.completedOn}`;
      const dayKey = `${entry.providerId}:${key}`;
      let day = days.get(dayKey);
      if (!day) days.set(dayKey, (day = { providerId: entry.providerId, key, personKey: entry.personKey, completedOn: entry.completedOn, yearKey, tenths: 0, indexes: [] }));
      day.tenths += entry.hoursTenths;
      day.indexes.push(index);
    }
    const near = new Map<string, Day[]>();
    for (const day of days.values()) {
      if ((yearSums.get(day.yearKey) ?? 0) + day.tenths > this.maxTenthsPerPersonDay) near.set(day.providerId, [...(near.get(day.providerId) ?? []), day]);
    }
    if (near.size === 0) return;
    const providers = [...near.keys()];
    const sums = await tx.run(...providers.map((providerId) => this.ledger.sumsByPersonDay(providerId, near.get(providerId)!)));
    const errors = providers
      .flatMap((providerId, at) => near.get(providerId)!.filter((day) => (sums[at].get(day.key) ?? 0) + day.tenths > this.maxTenthsPerPersonDay))
      .flatMap((day) => day.indexes)
      .sort((a, b) => a - b)
      .map((index) => fieldError([pathOf(index), 'hours'].filter(Boolean).join('.'), 'FIELD.HOURS_PER_DAY', { max: this.maxTenthsPerPersonDay / 10 }));
    if (errors.length > 0) throw new InvalidRequestError(errors);
  }

  /**
   * The entries' persons by HMAC hex, locked with their chain heads, and their year totals of the
   * entries' years. Persons not recorded yet are inserted (their ID number encrypted only then) and
   * locked in a second round trip.
   */
  private async lockPersons(tx: RoundTripTransaction, entries: PreparedEntry[]): Promise<LockedPersons> {
    const [locked] = await tx.run(this.ledger.lockPersons(entries.map(personYear)));
    const missing = new Map<string, NewPersonRow>();
    for (const entry of entries) {
      if (locked.persons.has(entry.personHex) || missing.has(entry.personHex)) continue;
      missing.set(entry.personHex, {
        id: newId(),
        personKey: entry.personKey,
        idNumberCipher: this.pii.encrypt(entry.idNumber),
        idNumberMasked: maskIdNumber(entry.idNumber),
        name: entry.personName,
      });
    }
    if (missing.size > 0) {
      // Locked and summed again: a concurrent transaction may have inserted (and extended) one first.
      const [, inserted] = await tx.run(
        this.ledger.insertPersons([...missing.values()]),
        this.ledger.lockPersons(entries.filter((entry) => missing.has(entry.personHex)).map(personYear)),
      );
      for (const [key, person] of inserted.persons) locked.persons.set(key, person);
      for (const [key, tenths] of inserted.yearSums) locked.yearSums.set(key, tenths);
    }
    return locked;
  }

  /**
   * Records an approved self-report, inside the caller's transaction (the one that marks it approved),
   * so that the entry and the status change commit together or not at all. The entry carries the
   * person's name on record where there is one; its externalId is the activity's id.
   */
  async appendSelfReported(manager: EntityManager, report: SelfReportedEntry): Promise<string> {
    const [, locked] = await runTogether(
      manager,
      this.ledger.insertPersons([
        { id: newId(), personKey: report.personKey, idNumberCipher: report.idNumberCipher, idNumberMasked: report.idNumberMasked, name: report.personName },
      ]),
      this.ledger.lockPersons([{ personKey: report.personKey, year: Number(report.completedOn.slice(0, 4)) }]),
    );
    const [person] = locked.persons.values();
    const id = newId();
    await runTogether(
      manager,
      this.ledger.appendEntries(
        [
          {
            id,
            source: 'self_report',
            providerId: null,
            recorderName: report.recorderName,
            externalId: report.activityId,
            externalGeneration: 0,
            personId: person.id,
            category: report.category,
            hoursTenths: report.hoursTenths,
            completedOn: report.completedOn,
            ledgerYear: Number(report.completedOn.slice(0, 4)),
            personName: person.name,
            courseTitle: report.title,
            contentHash: contentHash({ activity: report.activityId, category: report.category, hoursTenths: report.hoursTenths, completedOn: report.completedOn, title: report.title }),
            reversesEntryId: null,
            reversalReason: null,
            createdAt: storedTimestamp(new Date()),
          },
        ],
        new Map([[person.id, { seq: person.seq, hash: person.hash }]]),
      ),
    );
    return id;
  }

  /**
   * Reverses a self-reported entry (the authority's correction) inside the caller's transaction, the
   * one that records the reversal on the activity; the reversal names who reversed it.
   */
  async reverseSelfReportedIn(manager: EntityManager, entryId: string, reason: string, reversedBy: string): Promise<string> {
    const original = await this.ledger.findSelfReportedEntryForUpdate(manager, entryId);
    if (!original) throw new NotFoundError('LEDGER.ENTRY_NOT_FOUND', message('LEDGER.ENTRY_NOT_FOUND', { id: entryId }));
    return this.appendReversalOf(manager, original, reason, reversedBy);
  }

  /** Appends the reversing entry: same person, category and date, negative hours. Once per entry. */
  reverse(providerId: string, entryId: string, reason: string): Promise<EntryRow> {
    return this.appendReversal(
      reason,
      (manager) => (UUID_PATTERN.test(entryId) ? this.ledger.findOwnEntryForUpdate(manager, providerId, entryId) : Promise.resolve(null)),
      // Another provider's entry is reported exactly like a missing one: its existence is not theirs to learn.
      () => new NotFoundError('LEDGER.ENTRY_NOT_FOUND', message('LEDGER.ENTRY_NOT_FOUND', { id: entryId })),
    );
  }

  /** Reverses the latest posting of the provider's own externalId (409 if that one is reversed already). */
  reverseByExternalId(providerId: string, externalId: string, reason: string): Promise<EntryRow> {
    return this.appendReversal(
      reason,
      async (manager) => {
        const id = await this.ledger.latestIdByExternalIdForUpdate(manager, providerId, externalId);
        return id ? this.ledger.findOwnEntryForUpdate(manager, providerId, id) : null;
      },
      () => new NotFoundError('LEDGER.EXTERNAL_ID_NOT_FOUND', message('LEDGER.EXTERNAL_ID_NOT_FOUND', { externalId })),
    );
  }

  private async appendReversal(
    reason: string,
    findOriginal: (manager: EntityManager) => Promise<NewEntryRow | null>,
    notFound: () => NotFoundError,
  ): Promise<EntryRow> {
    let originalId = '';
    let reversalId = '';
    try {
      await transactionWithRetry(this.dataSource, async (manager) => {
        const original = await findOriginal(manager);
        if (!original) throw notFound();
        originalId = original.id;
        reversalId = await this.appendReversalOf(manager, original, reason);
      });
      this.metrics.entriesRecorded.inc({ source: 'provider' });
    } catch (error) {
      if (isDuplicateKey(error, UNIQUE_REVERSAL)) {
        throw new ConflictError('LEDGER.ALREADY_REVERSED', message('LEDGER.ALREADY_REVERSED', { id: originalId }));
      }
      throw error;
    }
    const [row] = await this.ledger.findEntries([reversalId]);
    return row;
  }

  /** The reversing entry of `original` (locked by the caller): same person, category and date, negative hours. */
  private async appendReversalOf(manager: EntityManager, original: NewEntryRow, reason: string, reversedBy?: string): Promise<string> {
    if (original.reversesEntryId) throw new ConflictError('LEDGER.REVERSAL_NOT_REVERSIBLE', message('LEDGER.REVERSAL_NOT_REVERSIBLE'));
    const reversal: NewEntryRow = {
      ...original,
      id: newId(),
      externalId: null,
      externalGeneration: 0,
      hoursTenths: -original.hoursTenths,
      contentHash: null,
      reversesEntryId: original.id,
      reversalReason: reason,
      recorderName: reversedBy ?? original.recorderName,
      createdAt: storedTimestamp(new Date()),
    };
    const [heads] = await runTogether(manager, this.ledger.lockChainHeads([reversal.personId]));
    await runTogether(manager, this.ledger.appendEntries([reversal], heads));
    return reversal.id;
  }

  /** Every posting of the provider's externalId (and their reversals), newest first. */
  entriesByExternalId(providerId: string, externalId: string): Promise<EntryRow[]> {
    return this.ledger.listByExternalId(providerId, externalId);
  }

  /** The provider's own entries for one person, newest first: what a provider looks up to correct. */
  entriesOfPerson(providerId: string, idNumber: string): Promise<EntryRow[]> {
    return this.ledger.listByProviderAndPerson(providerId, this.pii.lookupHash(idNumber));
  }

  /** An administrator's name change: kept with its history; later entries must carry the new name. */
  async changeName(idNumber: string, newName: string, reason: string, changedByClientId: string | null) {
    const change = { id: newId(), createdAt: new Date(), newName, reason, changedByClientId };
    return transactionWithRetry(this.dataSource, async (manager) => {
      const person = await this.ledger.findPersonForUpdate(manager, this.pii.lookupHash(idNumber));
      if (!person) throw new NotFoundError('ADMIN.PERSON_NOT_FOUND', message('ADMIN.PERSON_NOT_FOUND'));
      if (person.name === newName) throw new InvalidRequestError([fieldError('newName', 'ADMIN.NAME_UNCHANGED')]);
      await this.ledger.changeName(manager, { ...change, personId: person.id, oldName: person.name });
      return { id: change.id, idNumberMasked: person.idNumberMasked, oldName: person.name, newName, reason, changedAt: change.createdAt.toISOString() };
    });
  }

  /**
   * One entry: 409 on conflict; the stored entry with whether it was created now or replayed. Posts
   * that arrive together go together (PostGroups): each is answered as if it had been sent alone.
   */
  recordOne(providerId: string, dto: RecordHoursDto): Promise<PostAnswer> {
    return this.postGroups.submit({ providerId, dto });
  }

  /**
   * A group of single posts (of one provider or several) in one transaction, each answered exactly as
   * if it had been sent alone. A check that refuses any of them (a conflict, a name, the daily bound)
   * rolls the group back; see recordRefusedGroup.
   */
  private async recordGroup(postings: Posting[]): Promise<PostResult<PostAnswer>[]> {
    let recorded: Recorded;
    try {
      // In a group, errors name posts by their index; a post alone is answered with its own errors.
      recorded = await this.record(postings, (index) => (postings.length > 1 ? String(index) : ''));
    } catch (error) {
      if (postings.length === 1 || !(error instanceof DomainError)) return postings.map(() => ({ error }));
      return this.recordRefusedGroup(postings, error);
    }
    const created = new Map(recorded.created.map((entry) => [entry.id, entry]));
    const replayedIds = recorded.outcomes.filter((outcome) => !created.has(outcome.id)).map((outcome) => outcome.id);
    const replayed = new Map((await this.ledger.findEntries(replayedIds)).map((row) => [row.id, row]));
    return recorded.outcomes.map(({ id, status, index }) => {
      const entry = created.get(id);
      // A created entry is answered from what was written (no read-back), as a read would return it.
      return {
        value: {
          status,
          entry: entry
            ? {
                id: entry.id,
                externalId: entry.externalId,
                idNumberMasked: maskIdNumber(postings[index].dto.idNumber),
                personName: entry.personName,
                category: entry.category,
                hoursTenths: entry.hoursTenths,
                completedOn: entry.completedOn,
                courseTitle: entry.courseTitle,
                reversesEntryId: null,
                reversedByEntryId: null,
                reversalReason: null,
                createdAt: entry.createdAt,
              }
            : replayed.get(id)!,
        },
      };
    });
  }

  /**
   * A refused group: the posts its errors name, and every post whose answer may depend on theirs —
   * sharing a person (name, daily bound) or an externalId (replay, conflict) with one of them, and so
   * on — are written one by one in arrival order, after the others, which go on together. Nothing the
   * others write can change those posts' answers, nor theirs the others'. Errors that name no post
   * send the whole group one by one.
   */
  private async recordRefusedGroup(postings: Posting[], error: DomainError): Promise<PostResult<PostAnswer>[]> {
    const named = new Set((error.errors ?? []).flatMap((field) => /^(\d+)\./.exec(field.path)?.[1] ?? []).map(Number));
    const alone = named.size > 0 ? named : new Set(postings.keys());
    const persons = new Set<string>();
    const externalIds = new Set<string>();
    for (let grown = true; grown; ) {
      grown = false;
      postings.forEach(({ providerId, dto }, index) => {
        const key = postingKey(providerId, dto.externalId);
        if (!alone.has(index) && !persons.has(dto.idNumber) && !externalIds.has(key)) return;
        alone.add(index);
        if (!persons.has(dto.idNumber) || !externalIds.has(key)) grown = true;
        persons.add(dto.idNumber);
        externalIds.add(key);
      });
    }
    const together = [...postings.keys()].filter((index) => !alone.has(index));
    const results: PostResult<PostAnswer>[] = [];
    if (together.length > 0) (await this.recordGroup(together.map((index) => postings[index]))).forEach((result, at) => (results[together[at]] = result));
    for (const index of [...alone].sort((a, b) => a - b)) [results[index]] = await this.recordGroup([postings[index]]);
    return results;
  }

  /** A batch: all or nothing, a conflict anywhere rejects it whole (422, naming each entry by index). */
  async recordBatch(providerId: string, dtos: RecordHoursDto[]): Promise<RecordOutcome[]> {
    try {
      return (await this.record(dtos.map((dto) => ({ providerId, dto })), (index) => `entries[${index}]`)).outcomes;
    } catch (error) {
      if (error instanceof EntryConflictError) {
        throw new InvalidRequestError(error.errors ?? [], message('LEDGER.BATCH_REJECTED'));
      }
      throw error;
    }
  }

  /** The name the ledger knows a person by, or null for a person without entries. */
  async nameOnRecord(personKey: Buffer): Promise<string | null> {
    return this.ledger.nameOf(personKey);
  }

  /** A person's year totals in tenths (none for a person without hours): what the rules engine reads. */
  yearTotals(personKey: Buffer): Promise<YearTotals[]> {
    return this.ledger.yearTotalsByPersonKey(personKey);
  }

  /**
   * For each person, the entries a certification attests and the year totals summed from them: one
   * statement, so that what it evaluates and what its digest covers are the same snapshot.
   */
  async certificationSnapshots(personKeys: readonly Buffer[]): Promise<CertificationSnapshot[]> {
    const byPerson = new Map<string, EntryFact[]>(personKeys.map((key) => [key.toString('hex'), []]));
    for (const { personKey, ...fact } of await this.ledger.entryFactsByPersonKeys(personKeys)) byPerson.get(personKey.toString('hex'))!.push(fact);
    return personKeys.map((key) => {
      const entries = byPerson.get(key.toString('hex'))!;
      return { totals: sumYearTotals(entries), entries };
    });
  }

  /** When the person's ledger of these years changed after `after` (an entry recorded or reversed), or null. */
  firstChangeAfter(personKey: Buffer, fromYear: number, toYear: number, after: Date): Promise<string | null> {
    return this.ledger.firstChangeAfter(personKey, fromYear, toYear, after);
  }

  /** A person's ledger, or null when no provider has recorded hours for them. */
  async readLedger(personKey: Buffer): Promise<LedgerDto | null> {
    const [rows, nameChanges] = await Promise.all([this.ledger.ledgerByPersonKey(personKey), this.ledger.nameChanges(personKey)]);
    return rows.length > 0 ? LedgerDto.from(rows, nameChanges) : null;
  }

  async listOwn(providerId: string, cursor: string | undefined, limit: number, search: EntrySearch = {}): Promise<{ items: EntryRow[]; nextCursor: string | null }> {
    const rows = await this.ledger.listByProvider(providerId, decodeCursor(cursor), limit + 1, search);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  private prepare(providerId: string, dto: RecordHoursDto): PreparedEntry {
    const personKey = this.pii.lookupHash(dto.idNumber);
    const personHex = personKey.toString('hex');
    const hoursTenths = hoursToTenths(dto.hours)!; // validated: at most one decimal
    return {
      providerId,
      externalId: dto.externalId,
      postingKey: postingKey(providerId, dto.externalId),
      idNumber: dto.idNumber,
      personKey,
      personHex,
      personName: dto.personName,
      category: dto.category,
      hoursTenths,
      completedOn: dto.completedOn,
      ledgerYear: Number(dto.completedOn.slice(0, 4)),
      courseTitle: dto.courseTitle,
      // The HMAC stands for the ID number, so that the stored hash cannot be brute-forced back to it.
      contentHash: entryContentHash({ person: personHex, personName: dto.personName, category: dto.category, hoursTenths, completedOn: dto.completedOn, courseTitle: dto.courseTitle }),
    };
  }
}
