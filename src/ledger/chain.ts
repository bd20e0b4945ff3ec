import { hash } from 'node:crypto';

/**
 * The ledger is tamper-evident: each person's entries form a hash chain. An entry's chain hash is
 * SHA-256 over the previous entry's chain hash (32 zero bytes for the first) and the entry's own
 * content, written in one unambiguous form (a JSON array). Changing, removing or reordering any entry
 * behind the service's back breaks every later link; `npm run ledger:verify` finds the first one.
 */
export interface ChainedContent {
  id: string;
  source: string;
  providerId: string | null;
  recorderName: string | null;
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
  /** As MySQL stores and returns it: `YYYY-MM-DD HH:MM:SS.mmm`, UTC. */
  createdAt: string;
}

export const GENESIS = Buffer.alloc(32);

/** A Date as a DATETIME(3) column holds it (UTC), so that what was hashed is what is read back. */
export const storedTimestamp = (date: Date): string => date.toISOString().replace('T', ' ').slice(0, 23);

export function chainHash(previous: Buffer, entry: ChainedContent): Buffer {
  const content = JSON.stringify([
    entry.id,
    entry.providerId,
    entry.externalId,
    entry.externalGeneration,
    entry.personId,
    entry.category,
    entry.hoursTenths,
    entry.completedOn,
    entry.ledgerYear,
    entry.personName,
    entry.courseTitle,
    entry.contentHash?.toString('hex') ?? null,
    entry.reversesEntryId,
    entry.reversalReason,
    entry.createdAt,
    // Entries of other origins than a provider carry theirs; provider entries hash as they always did.
    ...(entry.source === 'provider' ? [] : [entry.source, entry.recorderName]),
  ]);
  // One digest over one buffer (the previous hash, then the content), reused from entry to entry:
  // a batch hashes thousands of entries, and a Hash object each cost more than the digest.
  if (scratch.length < 32 + content.length * 3) scratch = Buffer.allocUnsafe(32 + content.length * 3);
  previous.copy(scratch, 0);
  const written = scratch.write(content, 32, 'utf8');
  return hash('sha256', scratch.subarray(0, 32 + written), 'buffer');
}

/** Room for the previous hash and an entry's content in UTF-8 (at most 3 bytes a UTF-16 unit); grows for a longer one. */
let scratch = Buffer.allocUnsafe(4096);
