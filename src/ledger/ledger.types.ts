import type { Tenths } from '../common/hours.js';

export const CATEGORIES = ['professional', 'general_public', 'industry_public'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Where an entry came from: a provider's posting, or an applicant's reviewed self-report. */
export const ENTRY_SOURCES = ['provider', 'self_report'] as const;
export type EntrySource = (typeof ENTRY_SOURCES)[number];

/**
 * One entry ready to insert: validated, hours in tenths, the person keyed by their ID number's HMAC.
 * The ID number itself is kept (in memory only) to encrypt it if the person is new.
 */
export interface PreparedEntry {
  providerId: string;
  externalId: string;
  /** The provider and externalId together: what identifies a posting (postingKey()). */
  postingKey: string;
  idNumber: string;
  personKey: Buffer;
  /** personKey in hex: how maps key a person. */
  personHex: string;
  personName: string;
  category: Category;
  hoursTenths: Tenths;
  completedOn: string;
  ledgerYear: number;
  courseTitle: string;
  contentHash: Buffer;
}

export type RecordStatus = 'created' | 'replayed';

export interface RecordOutcome {
  index: number;
  id: string;
  status: RecordStatus;
}

/** A provider's externalId, as maps key postings (provider ids are UUIDs of fixed length, so the two never run together). */
export const postingKey = (providerId: string, externalId: string): string => `${providerId}:${externalId}`;
