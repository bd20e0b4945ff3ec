import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { chainHash, type ChainedContent, GENESIS } from './chain.js';
import { CATEGORIES } from './ledger.types.js';
import { CHAINED_COLUMNS } from './ledger.repository.js';

export interface BrokenLink {
  personId: string;
  idNumberMasked: string;
  entryId: string | null;
  chainSeq: number;
  reason: string;
}

export interface YearTotalMismatch {
  personId: string;
  idNumberMasked: string;
  year: number;
  stored: [number, number, number] | null;
  computed: [number, number, number];
}

export interface LedgerVerification {
  ok: boolean;
  persons: number;
  entries: number;
  /** The first link that does not hold, in person-id and chain order; null when every chain holds. */
  firstBrokenLink: BrokenLink | null;
  brokenChains: number;
  yearTotalMismatches: YearTotalMismatch[];
  verifiedAt: string;
}

const PERSONS_PER_STEP = 500;
const TOTAL_COLUMN = Object.fromEntries(CATEGORIES.map((category, index) => [category, index])) as Record<string, 0 | 1 | 2>;

/**
 * Recomputes every person's hash chain and year totals from the entries themselves, and names the
 * first link that does not hold: an entry edited, removed or reordered behind the service's back.
 * Reads persons a few hundred at a time, so that it runs in bounded memory on any ledger.
 */
@Injectable()
export class LedgerVerifier {
  constructor(private readonly dataSource: DataSource) {}

  async verify(): Promise<LedgerVerification> {
    let persons = 0;
    let entries = 0;
    let brokenChains = 0;
    let firstBrokenLink: BrokenLink | null = null;
    const yearTotalMismatches: YearTotalMismatch[] = [];
    let after = '';
    for (;;) {
      const batch: { id: string; masked: string; seq: number; head: Buffer | null }[] = await this.dataSource.query(
        'SELECT id, id_number_masked AS masked, chain_seq AS seq, chain_head AS head FROM persons WHERE id > ? ORDER BY id LIMIT ?',
        [after, PERSONS_PER_STEP],
      );
      if (batch.length === 0) break;
      after = batch[batch.length - 1].id;
      const ids = batch.map((p) => p.id);
      const rows: (ChainedContent & { chainSeq: number; chainHash: Buffer })[] = await this.dataSource.query(
        `SELECT ${CHAINED_COLUMNS}, chain_seq AS chainSeq, chain_hash AS chainHash
         FROM hour_entries WHERE person_id IN (?) ORDER BY person_id, chain_seq`,
        [ids],
      );
      const storedTotals: { personId: string; year: number; p: number; g: number; i: number }[] = await this.dataSource.query(
        `SELECT person_id AS personId, ledger_year AS year, professional_tenths AS p, general_public_tenths AS g, industry_public_tenths AS i
         FROM year_totals WHERE person_id IN (?)`,
        [ids],
      );
      const byPerson = new Map<string, typeof rows>(ids.map((id) => [id, []]));
      for (const row of rows) byPerson.get(row.personId)?.push(row);
      const totalsByPerson = new Map<string, Map<number, [number, number, number]>>(ids.map((id) => [id, new Map()]));
      for (const t of storedTotals) totalsByPerson.get(t.personId)?.set(t.year, [t.p, t.g, t.i]);

      for (const person of batch) {
        persons += 1;
        const chain = byPerson.get(person.id)!;
        entries += chain.length;
        const broken = this.checkChain(person, chain);
        if (broken) {
          brokenChains += 1;
          firstBrokenLink ??= broken;
        }
        const computed = new Map<number, [number, number, number]>();
        for (const entry of chain) {
          const totals = computed.get(entry.ledgerYear) ?? [0, 0, 0];
          totals[TOTAL_COLUMN[entry.category]] += entry.hoursTenths;
          computed.set(entry.ledgerYear, totals);
        }
        const stored = totalsByPerson.get(person.id)!;
        for (const year of new Set([...computed.keys(), ...stored.keys()])) {
          const want = computed.get(year) ?? [0, 0, 0];
          const have = stored.get(year) ?? null;
          if (!have || have.some((value, index) => value !== want[index])) {
            yearTotalMismatches.push({ personId: person.id, idNumberMasked: person.masked, year, stored: have, computed: want });
          }
        }
      }
    }
    return { ok: brokenChains === 0 && yearTotalMismatches.length === 0, persons, entries, firstBrokenLink, brokenChains, yearTotalMismatches, verifiedAt: new Date().toISOString() };
  }

  /** The first link of one person's chain that does not hold, or null. */
  private checkChain(
    person: { id: string; masked: string; seq: number; head: Buffer | null },
    chain: (ChainedContent & { chainSeq: number; chainHash: Buffer })[],
  ): BrokenLink | null {
    const link = (entryId: string | null, chainSeq: number, reason: string): BrokenLink => ({ personId: person.id, idNumberMasked: person.masked, entryId, chainSeq, reason });
    let previous: Buffer = GENESIS;
    for (const [index, entry] of chain.entries()) {
      if (entry.chainSeq !== index + 1) return link(entry.id, entry.chainSeq, `expected link ${index + 1}: an entry before it is missing`);
      const expected = chainHash(previous, entry);
      if (!expected.equals(entry.chainHash)) return link(entry.id, entry.chainSeq, 'its content or an earlier entry was changed: the chain hash does not match');
      previous = entry.chainHash;
    }
    if (person.seq !== chain.length) return link(null, person.seq, `the person's chain head counts ${person.seq} entries, ${chain.length} are present`);
    if (chain.length > 0 && !(person.head ?? GENESIS).equals(previous)) return link(chain[chain.length - 1].id, chain.length, "the person's chain head does not match the last entry");
    return null;
  }
}
