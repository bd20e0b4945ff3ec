import type { YearTotals } from '../rules/engine/index.js';
import type { Category } from './ledger.types.js';

const FIELD: Record<Category, 'professional' | 'generalPublic' | 'industryPublic'> = {
  professional: 'professional',
  general_public: 'generalPublic',
  industry_public: 'industryPublic',
};

/**
 * A person's year totals in tenths, summed from their entries (reversals included), newest year
 * first: the same figures the year_totals table keeps, read from one snapshot of the entries.
 */
export function sumYearTotals(entries: readonly { ledgerYear: number; category: Category; hoursTenths: number }[]): YearTotals[] {
  const byYear = new Map<number, YearTotals>();
  for (const entry of entries) {
    let totals = byYear.get(entry.ledgerYear);
    if (!totals) byYear.set(entry.ledgerYear, (totals = { year: entry.ledgerYear, professional: 0, generalPublic: 0, industryPublic: 0 }));
    totals[FIELD[entry.category]] += entry.hoursTenths;
  }
  return [...byYear.values()].sort((a, b) => b.year - a.year);
}
