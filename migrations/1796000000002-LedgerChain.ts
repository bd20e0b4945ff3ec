import { createHash } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

interface ExistingEntry {
  id: string;
  providerId: string;
  externalId: string | null;
  externalGeneration: number;
  personId: string;
  category: string;
  hoursTenths: number;
  completedOn: string;
  ledgerYear: number;
  personName: string;
  courseTitle: string;
  contentHash: Buffer | null;
  reversesEntryId: string | null;
  reversalReason: string | null;
  createdAt: string;
}

const GENESIS = Buffer.alloc(32);

/**
 * The chain hash of a provider's entry (every entry was one then), written out here as it was when
 * this migration ran: a migration must hash the same whatever src/ledger/chain.ts becomes (which
 * hashes provider entries this same way).
 */
export function chainHash(previous: Buffer, e: ExistingEntry): Buffer {
  const content = JSON.stringify([e.id, e.providerId, e.externalId, e.externalGeneration, e.personId, e.category, e.hoursTenths, e.completedOn, e.ledgerYear,
    e.personName, e.courseTitle, e.contentHash?.toString('hex') ?? null, e.reversesEntryId, e.reversalReason, e.createdAt]);
  return createHash('sha256').update(previous).update(content).digest();
}

/**
 * A hash chain per person over hour_entries (chain_seq 1, 2, … with chain_hash), the head kept on the
 * person, and triggers that refuse UPDATE and DELETE of entries. Entries recorded before are chained
 * here, in the order they were created.
 */
export class LedgerChain1796000000002 implements MigrationInterface {
  name = 'LedgerChain1796000000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `hour_entries` ADD `chain_seq` int NOT NULL DEFAULT 0, ADD `chain_hash` binary(32) NULL');
    await queryRunner.query('ALTER TABLE `persons` ADD `chain_seq` int NOT NULL DEFAULT 0, ADD `chain_head` binary(32) NULL');

    const persons: { id: string }[] = await queryRunner.query('SELECT DISTINCT person_id AS id FROM hour_entries');
    for (const { id } of persons) {
      const entries: ExistingEntry[] = await queryRunner.query(
        `SELECT id, provider_id AS providerId, external_id AS externalId, external_generation AS externalGeneration, person_id AS personId,
           category, hours_tenths AS hoursTenths, completed_on AS completedOn, ledger_year AS ledgerYear, person_name AS personName,
           course_title AS courseTitle, content_hash AS contentHash, reverses_entry_id AS reversesEntryId, reversal_reason AS reversalReason,
           created_at AS createdAt
         FROM hour_entries WHERE person_id = ? ORDER BY created_at, id`,
        [id],
      );
      let head: Buffer = GENESIS;
      for (const [index, entry] of entries.entries()) {
        head = chainHash(head, entry);
        await queryRunner.query('UPDATE hour_entries SET chain_seq = ?, chain_hash = ? WHERE id = ?', [index + 1, head, entry.id]);
      }
      await queryRunner.query('UPDATE persons SET chain_seq = ?, chain_head = ? WHERE id = ?', [entries.length, head, id]);
    }

    await queryRunner.query('ALTER TABLE `hour_entries` MODIFY `chain_hash` binary(32) NOT NULL');
    await queryRunner.query('CREATE UNIQUE INDEX `uq_hour_entries_person_chain` ON `hour_entries` (`person_id`, `chain_seq`)');
    await queryRunner.query(
      "CREATE TRIGGER `hour_entries_no_update` BEFORE UPDATE ON `hour_entries` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hour_entries is append-only: correct an entry by a reversing entry'",
    );
    await queryRunner.query(
      "CREATE TRIGGER `hour_entries_no_delete` BEFORE DELETE ON `hour_entries` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'hour_entries is append-only: entries are never deleted'",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER IF EXISTS `hour_entries_no_delete`');
    await queryRunner.query('DROP TRIGGER IF EXISTS `hour_entries_no_update`');
    await queryRunner.query('DROP INDEX `uq_hour_entries_person_chain` ON `hour_entries`');
    await queryRunner.query('ALTER TABLE `persons` DROP COLUMN `chain_head`, DROP COLUMN `chain_seq`');
    await queryRunner.query('ALTER TABLE `hour_entries` DROP COLUMN `chain_hash`, DROP COLUMN `chain_seq`');
  }
}
