import { join } from 'node:path';
import { evaluate, NoRuleSetError, type RuleSet, selectRuleSet } from '../../../src/rules/engine/index.js';
import { loadRuleSets } from '../../../src/rules/rule-set-loader.js';

const ruleSets = loadRuleSets(join(import.meta.dirname, '..', '..', '..', 'config', 'rules'));
const FIRST_NOTICE: Record<string, number> = { lishui: 2024, quzhou: 2021, wenzhou: 2019 };

describe('coverage of application years 2015-2030', () => {
  const cities = Object.keys(FIRST_NOTICE);
  const years = Array.from({ length: 16 }, (_, i) => 2015 + i);

  it.each(cities)('%s: exactly one rule set from its first notice on, none before', (city) => {
    for (const year of years) {
      const inForce = ruleSets.filter((r) => r.city === city && r.effectiveFrom <= year);
      if (year < FIRST_NOTICE[city]) {
        expect(inForce).toHaveLength(0);
        expect(() => selectRuleSet(ruleSets, city, year)).toThrow(NoRuleSetError);
        expect(() => selectRuleSet(ruleSets, city, year)).toThrow(`No rule set of ${city} is in force for application year ${year}`);
      } else {
        // No gap: a rule set applies. No overlap: the latest effectiveFrom is unique (the loader refuses ties).
        const selected = selectRuleSet(ruleSets, city, year);
        expect(selected.effectiveFrom).toBe(Math.max(...inForce.map((r) => r.effectiveFrom)));
        expect(inForce.filter((r) => r.effectiveFrom === selected.effectiveFrom)).toHaveLength(1);
      }
    }
  });

  it.each(cities)('%s: every track and level evaluates in every covered year without throwing', (city) => {
    for (const year of years.filter((y) => y >= FIRST_NOTICE[city])) {
      const ruleSet = selectRuleSet(ruleSets, city, year);
      for (const track of ['promotion', 'initial'] as const) {
        for (const titleLevel of ['junior', 'intermediate', 'associate_senior', 'senior'] as const) {
          const decision = evaluate(ruleSet, { city, applicationYear: year, track, titleLevel, requiredYears: 3, education: 'master', series: 'engineering' }, []);
          expect(['eligible', 'ineligible', 'undetermined']).toContain(decision.decision);
          if (decision.decision === 'undetermined') expect(decision.notes.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('an unknown city names itself', () => {
    expect(() => selectRuleSet(ruleSets, 'hangzhou', 2024)).toThrow('No rule set exists for city "hangzhou"');
  });

  it('a later notice takes over from its effectiveFrom, the earlier one still governs the years before', () => {
    const later: RuleSet = { ...ruleSets.find((r) => r.id === 'wenzhou-2019')!, id: 'wenzhou-2026', effectiveFrom: 2026 };
    const all = [...ruleSets, later];
    expect(selectRuleSet(all, 'wenzhou', 2025).id).toBe('wenzhou-2019');
    expect(selectRuleSet(all, 'wenzhou', 2026).id).toBe('wenzhou-2026');
    expect(selectRuleSet(all, 'wenzhou', 2030).id).toBe('wenzhou-2026');
  });
});

describe('deemed years', () => {
  it('a deemed year passes with deemed: true and no shortfall, whatever its hours', () => {
    const lishui = ruleSets.find((r) => r.id === 'lishui-2024')!;
    // The same rule set read for an application year of 2019, to see a deemed year among the recent ones.
    const decision = evaluate({ ...lishui, effectiveFrom: 2019 }, { city: 'lishui', applicationYear: 2019, track: 'promotion', titleLevel: 'junior', requiredYears: 1 }, [
      { year: 2019, professional: 600, generalPublic: 120, industryPublic: 180 },
    ]);
    expect(decision.checks[0]).toMatchObject({ code: 'YEAR_COMPLIANT', year: 2018, passed: true, deemed: true, actual: { total: 0 }, shortfall: { total: 0, professional: 0, public: 0, generalPublic: 0 } });
    expect(decision.checks[1]).toMatchObject({ year: 2019, passed: true });
    expect(decision.checks[1]).not.toHaveProperty('deemed');
    expect(decision.decision).toBe('eligible');
  });
});

describe('summary in plain Chinese, one phrase per check kind', () => {
  const citation = { section: 's', quote: 'q' };
  const base = { required: {}, actual: {}, shortfall: {}, citation };
  it.each([
    [
      'a short year (YEAR_COMPLIANT)',
      'ineligible',
      [{ ...base, code: 'YEAR_COMPLIANT', passed: false, year: 2023, shortfall: { total: 2, professional: 0, public: 0, generalPublic: 2 } }],
      '不符合：2023年一般公需科目还差2学时、总学时还差2学时。',
    ],
    [
      'a count of compliant years naming the short years (COMPLIANT_YEAR_COUNT)',
      'ineligible',
      [
        {
          ...base,
          code: 'COMPLIANT_YEAR_COUNT',
          passed: false,
          fromYear: 2020,
          toYear: 2024,
          required: { years: 5 },
          actual: { years: 4 },
          years: [
            { year: 2020, compliant: true, deemed: true, actual: {}, shortfall: {} },
            { year: 2021, compliant: false, actual: {}, shortfall: { total: 0, professional: 0.5, public: 0, generalPublic: 0 } },
          ],
        },
      ],
      '不符合：2021年专业科目还差0.5学时；2020—2024年符合学时要求的年度为4年，需5年。',
    ],
    [
      'a year named by two checks is said once',
      'ineligible',
      [
        { ...base, code: 'YEAR_COMPLIANT', passed: false, year: 2024, shortfall: { professional: 12 } },
        { ...base, code: 'COMPLIANT_YEAR_COUNT', passed: false, fromYear: 2023, toYear: 2024, required: { years: 2 }, actual: { years: 1 }, years: [{ year: 2024, compliant: false, actual: {}, shortfall: { professional: 12 } }] },
      ],
      '不符合：2024年专业科目还差12学时；2023—2024年符合学时要求的年度为1年，需2年。',
    ],
    [
      'a window (CUMULATIVE_HOURS)',
      'ineligible',
      [{ ...base, code: 'CUMULATIVE_HOURS', passed: false, fromYear: 2019, toYear: 2021, shortfall: { public: 0.1 } }],
      '不符合：2019—2021年累计公需科目还差0.1学时。',
    ],
    [
      'an initial determination window (INITIAL_DETERMINATION_HOURS)',
      'ineligible',
      [{ ...base, code: 'INITIAL_DETERMINATION_HOURS', passed: false, fromYear: 2024, toYear: 2024, shortfall: { total: 30, professional: 10, public: 0 } }],
      '不符合：2024年累计专业科目还差10学时、总学时还差30学时。',
    ],
    ['an exam series (EXAM_SERIES)', 'ineligible', [{ ...base, code: 'EXAM_SERIES', passed: false }], '不符合：该系列设有国家或省统一考试，需通过考试取得职称，不再进行职称初定。'],
    [
      'everything holds',
      'eligible',
      [{ ...base, code: 'YEAR_COMPLIANT', passed: true, year: 2023 }, { ...base, code: 'YEAR_COMPLIANT', passed: true, year: 2024 }],
      '符合：2023—2024年的继续教育学时达到要求。',
    ],
    [
      'eligible with a part not checked',
      'eligible',
      [{ ...base, code: 'CUMULATIVE_HOURS', passed: true, fromYear: 2019, toYear: 2021, notChecked: ['professional'] }],
      '符合：2019—2021年的继续教育学时达到要求。专业科目学时未核查（本服务未收录该系列评审通知的要求）。',
    ],
  ] as const)('%s', async (_label, outcome, checks, expected) => {
    const { summarize } = await import('../../../src/rules/engine/index.js');
    expect(summarize(outcome, checks as never, [])).toBe(expected);
  });

  it('undetermined: the notice’s reason', async () => {
    const { summarize } = await import('../../../src/rules/engine/index.js');
    expect(summarize('undetermined', [], ['申报高级职称按省里要求执行'])).toBe('无法判定：申报高级职称按省里要求执行。');
  });
});

describe('rule data indexed by a caller’s string', () => {
  it.each(Object.getOwnPropertyNames(Object.prototype))('series %j is no series of the rule data', async (key) => {
    const { evaluate } = await import('../../../src/rules/engine/index.js');
    const { loadRuleSets } = await import('../../../src/rules/rule-set-loader.js');
    const { join } = await import('node:path');
    const quzhou = loadRuleSets(join(import.meta.dirname, '..', '..', '..', 'config', 'rules')).find((r) => r.id === 'quzhou-2021')!;
    const totals = [2019, 2020, 2021].map((year) => ({ year, professional: 0, generalPublic: 300, industryPublic: 0 }));
    const promotion = evaluate(quzhou, { city: 'quzhou', applicationYear: 2021, track: 'promotion', titleLevel: 'intermediate', series: key }, totals);
    expect(promotion.checks[0]).toMatchObject({ code: 'CUMULATIVE_HOURS', notChecked: ['professional'] });
    expect(promotion.checks[0].required).not.toHaveProperty('professional');
    expect(promotion.summary).toContain('专业科目学时未核查');
    const initial = evaluate(quzhou, { city: 'quzhou', applicationYear: 2021, track: 'initial', titleLevel: 'junior', education: 'bachelor', series: key }, totals);
    expect(initial.checks[0]).toMatchObject({ code: 'EXAM_SERIES', passed: true });
    // Track, level and education index rule data too: an inherited key is no rule.
    const odd = { city: 'quzhou', applicationYear: 2021, track: key, titleLevel: key, education: key } as never;
    expect(evaluate(quzhou, odd, totals).decision).toBe('undetermined');
  });
});
