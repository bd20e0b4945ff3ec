import type { Tenths } from '../common/hours.js';

export const CATEGORIES = ['professional', 'general_public', 'industry_public'] as const;
export type Category = (typeof CATEGORIES)[number];

/** One entry ready to insert: validated, hours in tenths, the person reduced to their protected ID number. */
export interface PreparedEntry {
  externalId: string;
  personKey: Buffer;
  personCipher: Buffer;
  idNumberMasked: string;
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
