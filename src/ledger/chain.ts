import { createHash } from 'node:crypto';

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
  return createHash('sha256').update(previous).update(content).digest();
}
