import { sumYearTotals } from '../../src/ledger/year-totals.js';

describe('year totals summed from entries', () => {
  it('adds tenths per year and category, reversals included, newest year first', () => {
    expect(
      sumYearTotals([
        { ledgerYear: 2023, category: 'professional', hoursTenths: 599 },
        { ledgerYear: 2024, category: 'general_public', hoursTenths: 120 },
        { ledgerYear: 2023, category: 'professional', hoursTenths: 1 },
        { ledgerYear: 2023, category: 'industry_public', hoursTenths: 60 },
        { ledgerYear: 2024, category: 'professional', hoursTenths: 300 },
        { ledgerYear: 2024, category: 'professional', hoursTenths: -300 },
      ]),
    ).toEqual([
      { year: 2024, professional: 0, generalPublic: 120, industryPublic: 0 },
      { year: 2023, professional: 600, generalPublic: 0, industryPublic: 60 },
    ]);
  });

  it('is empty for a person without entries', () => {
    expect(sumYearTotals([])).toEqual([]);
  });
});
