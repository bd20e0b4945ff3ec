import fc from 'fast-check';
import { join } from 'node:path';
import {
  EDUCATIONS,
  type EligibilityRequest,
  evaluate,
  EvaluationInputError,
  plan,
  type Plan,
  type RuleSet,
  TITLE_LEVELS,
  TRACKS,
  type YearTotals,
} from '../../../src/rules/engine/index.js';
import { loadRuleSets } from '../../../src/rules/rule-set-loader.js';
import { loadSeries } from '../../../src/rules/series.js';

const root = join(import.meta.dirname, '..', '..', '..');
const ruleSets = loadRuleSets(join(root, 'config', 'rules'));
const seriesCodes = loadSeries(join(root, 'config', 'series.yaml')).map((series) => series.code);
const byId = (id: string) => ruleSets.find((ruleSet) => ruleSet.id === id)!;
const year = (y: number, professional: number, generalPublic: number, industryPublic: number): YearTotals => ({
  year: y,
  professional: professional * 10,
  generalPublic: generalPublic * 10,
  industryPublic: industryPublic * 10,
});

/** The ledger with a plan's hours earned. */
function follow(totals: readonly YearTotals[], result: Plan, change: (year: number, category: 'professional' | 'generalPublic' | 'industryPublic', tenths: number) => number = (_y, _c, t) => t) {
  const byYear = new Map(totals.map((t) => [t.year, { ...t }]));
  for (const { year: y, needed } of result.years) {
    const row = byYear.get(y) ?? { year: y, professional: 0, generalPublic: 0, industryPublic: 0 };
    for (const category of ['professional', 'generalPublic', 'industryPublic'] as const) row[category] += change(y, category, Math.round(needed[category] * 10));
    byYear.set(y, row);
  }
  return [...byYear.values()];
}

describe('planner, by example', () => {
  const lishui: EligibilityRequest = { city: 'lishui', applicationYear: 2026, track: 'promotion', titleLevel: 'intermediate', requiredYears: 2 };

  it('Lishui: what the open year still needs, the remainder of the total on professional hours', () => {
    const result = plan(byId('lishui-2024'), lishui, [year(2025, 60, 12, 18), year(2026, 30, 0, 0)], 2026);
    expect(result).toMatchObject({ feasible: true, blockers: [], decision: { decision: 'ineligible' } });
    expect(result.years).toEqual([{ year: 2026, needed: { professional: 42, generalPublic: 12, industryPublic: 6 } }]);
  });

  it('Lishui: a closed tenure year that fell short cannot be repaired', () => {
    const result = plan(byId('lishui-2024'), lishui, [year(2025, 59.5, 12, 18)], 2026);
    expect(result.feasible).toBe(false);
    expect(result.years).toEqual([]);
    expect(result.blockers).toEqual([
      { year: 2025, reason: '2025年未达到年度学时要求（专业科目差0.5学时、总学时差0.5学时），该年度已过，无法补足；2025—2026年已无法达到2个达标年度' },
    ]);
  });

  it('Lishui associate senior: the cheapest open years make up the compliant-year count', () => {
    const request: EligibilityRequest = { ...lishui, applicationYear: 2028, titleLevel: 'associate_senior', requiredYears: 5 };
    const totals = [year(2024, 90, 12, 6), year(2025, 90, 12, 6), year(2026, 80, 12, 6)];
    const result = plan(byId('lishui-2024'), request, totals, 2026);
    expect(result.feasible).toBe(true);
    expect(result.years.map((y) => y.year)).toEqual([2026, 2027, 2028]);
    expect(evaluate(byId('lishui-2024'), request, follow(totals, result)).decision).toBe('eligible');
  });

  it('Quzhou: a window sum is earned in its first open year', () => {
    const request: EligibilityRequest = { city: 'quzhou', applicationYear: 2027, track: 'promotion', titleLevel: 'intermediate', series: 'engineering' };
    const result = plan(byId('quzhou-2021'), request, [year(2025, 0, 20, 10)], 2026);
    expect(result.years).toEqual([
      { year: 2026, needed: { professional: 0, generalPublic: 0, industryPublic: 24 } },
      { year: 2027, needed: { professional: 0, generalPublic: 0, industryPublic: 0 } },
    ]);
  });

  it('an exam series or a request the notice does not cover: infeasible, with the reason', () => {
    const exam = plan(byId('quzhou-2021'), { city: 'quzhou', applicationYear: 2026, track: 'initial', titleLevel: 'junior', education: 'bachelor', series: 'accounting' }, [], 2026);
    expect(exam).toMatchObject({ feasible: false, blockers: [{ year: 2026, reason: expect.stringContaining('统一考试') }] });
    const senior = plan(byId('quzhou-2021'), { city: 'quzhou', applicationYear: 2026, track: 'promotion', titleLevel: 'senior' }, [], 2026);
    expect(senior).toMatchObject({ feasible: false, blockers: [{ year: 2026, reason: expect.stringContaining('省人社厅') }] });
  });

  it('refuses an application year already past', () => {
    expect(() => plan(byId('lishui-2024'), { ...lishui, applicationYear: 2025 }, [], 2026)).toThrow(EvaluationInputError);
  });
});

/** Any request a title system may send, for a rule set's city, applying from `currentYear` on. */
const requestFor = (ruleSet: RuleSet, currentYear: number) =>
  fc.record(
    {
      applicationYear: fc.integer({ min: currentYear, max: currentYear + 4 }),
      track: fc.constantFrom(...TRACKS),
      titleLevel: fc.constantFrom(...TITLE_LEVELS),
      requiredYears: fc.integer({ min: 1, max: 6 }),
      education: fc.constantFrom(...EDUCATIONS),
      series: fc.constantFrom(...seriesCodes),
      workStartYear: fc.integer({ min: currentYear - 8, max: currentYear }),
    },
    { requiredKeys: ['applicationYear', 'track', 'titleLevel'] },
  ).map((fields): EligibilityRequest => ({ city: ruleSet.city, ...fields }));

/** Ledgers up to the current year, often near the minimums (90 a year in Lishui and Wenzhou, 54 over three in Quzhou). */
const ledgerUpTo = (currentYear: number) =>
  fc.uniqueArray(
    fc.record({
      year: fc.integer({ min: currentYear - 8, max: currentYear }),
      professional: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 550, max: 650 })),
      generalPublic: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 100, max: 140 })),
      industryPublic: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 40, max: 80 })),
    }),
    { selector: (row) => row.year, maxLength: 9 },
  );

describe.each(ruleSets.map((ruleSet) => [ruleSet.id, ruleSet] as const))('planner properties, %s', (_id, ruleSet) => {
  const cases = fc.integer({ min: ruleSet.effectiveFrom, max: ruleSet.effectiveFrom + 6 }).chain((currentYear) =>
    fc.tuple(fc.constant(currentYear), requestFor(ruleSet, currentYear), ledgerUpTo(currentYear)),
  );
  const planned = (currentYear: number, request: EligibilityRequest, totals: YearTotals[]) => {
    try {
      return plan(ruleSet, request, totals, currentYear);
    } catch (error) {
      if (error instanceof EvaluationInputError) return null; // a field the rule needs is missing: a 422, not a plan
      throw error;
    }
  };

  it('following the plan makes the request eligible; 0.1 hour less of any figure does not', () => {
    let withHoursToEarn = 0;
    fc.assert(
      fc.property(cases, ([currentYear, request, totals]) => {
        const result = planned(currentYear, request, totals);
        if (!result || !result.feasible) return;
        if (result.years.some((y) => Object.values(y.needed).some((hours) => hours > 0))) withHoursToEarn += 1;
        expect(evaluate(ruleSet, request, follow(totals, result)).decision).toBe('eligible');
        for (const { year: y, needed } of result.years) {
          for (const category of ['professional', 'generalPublic', 'industryPublic'] as const) {
            if (needed[category] === 0) continue;
            const short = follow(totals, result, (yy, cc, t) => (yy === y && cc === category ? t - 1 : t));
            expect(evaluate(ruleSet, request, short).decision).not.toBe('eligible');
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(withHoursToEarn).toBeGreaterThan(30); // the generators reach plans with something to earn
  });

  it('an infeasible plan names blockers, and no hours in the open years would help', () => {
    let infeasible = 0;
    fc.assert(
      fc.property(cases, ([currentYear, request, totals]) => {
        const result = planned(currentYear, request, totals);
        if (!result || result.feasible) return;
        infeasible += 1;
        expect(result.blockers.length).toBeGreaterThan(0);
        for (const blocker of result.blockers) expect(blocker.year < currentYear || blocker.year === request.applicationYear).toBe(true);
        const generous = [...totals.filter((t) => t.year < currentYear)];
        for (let y = currentYear; y <= request.applicationYear; y++) generous.push({ year: y, professional: 10_000, generalPublic: 10_000, industryPublic: 10_000 });
        expect(evaluate(ruleSet, request, generous).decision).not.toBe('eligible');
      }),
      { numRuns: 300 },
    );
    expect(infeasible).toBeGreaterThan(10);
  });
});
