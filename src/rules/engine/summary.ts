import type { CheckResult, DecisionOutcome, Measure, TitleLevel, Track } from './types.js';

/**
 * The decision in one or two sentences an applicant reads without the checks: what is missing, in
 * which year, in which category, by how many hours; or that everything holds; or why the request is
 * not covered. Built from the checks alone, one phrase per check kind, never per rule set.
 */

export const TRACK_NAMES: Record<Track, string> = { promotion: '晋升', initial: '初定' };
export const LEVEL_NAMES: Record<TitleLevel, string> = { junior: '初级', intermediate: '中级', associate_senior: '副高级', senior: '正高级' };

export const MEASURE_NAMES: Record<Measure, string> = {
  total: '总学时',
  professional: '专业科目',
  public: '公需科目',
  generalPublic: '一般公需科目',
};

const MEASURES: Measure[] = ['professional', 'generalPublic', 'public', 'total'];

/** Hours as people write them: 0.5, 12, 89.9. */
export const formatHours = (hours: number): string => String(Math.round(hours * 10) / 10);

const period = (from: number, to: number) => (from === to ? `${to}年` : `${from}—${to}年`);

/** "专业科目还差0.5学时、一般公需科目还差2学时"; empty when nothing is short. */
function missingPhrase(shortfall: Record<string, number> | undefined, prefix = ''): string {
  return MEASURES.filter((measure) => (shortfall?.[measure] ?? 0) > 0)
    .map((measure) => `${prefix}${MEASURE_NAMES[measure]}还差${formatHours(shortfall![measure])}学时`)
    .join('、');
}

/** The phrases of one failed check; the years it names are said once even if two checks name them. */
function failedPhrases(check: CheckResult, yearsSaid: Set<number>): string[] {
  const yearPhrase = (year: number, shortfall: Record<string, number> | undefined) => {
    if (yearsSaid.has(year)) return [];
    yearsSaid.add(year);
    const missing = missingPhrase(shortfall);
    return missing ? [`${year}年${missing}`] : [];
  };
  switch (check.code) {
    case 'YEAR_COMPLIANT':
      return yearPhrase(check.year!, check.shortfall);
    case 'COMPLIANT_YEAR_COUNT':
      return [
        ...(check.years ?? []).filter((year) => !year.compliant).flatMap((year) => yearPhrase(year.year, year.shortfall)),
        `${period(check.fromYear!, check.toYear!)}符合学时要求的年度为${check.actual.years}年，需${check.required.years}年`,
      ];
    case 'EXAM_SERIES':
      return ['该系列设有国家或省统一考试，需通过考试取得职称，不再进行职称初定'];
    default:
      return [`${period(check.fromYear!, check.toYear!)}累计${missingPhrase(check.shortfall)}`];
  }
}

export const CHECK_NAMES: Record<string, string> = {
  YEAR_COMPLIANT: '年度学时',
  COMPLIANT_YEAR_COUNT: '达标年度数',
  CUMULATIVE_HOURS: '累计学时',
  INITIAL_DETERMINATION_HOURS: '职称初定学时',
  EXAM_SERIES: '考试系列',
};

/** One check in a line, passed or not (for the printed result). */
export function describeCheck(check: CheckResult): string {
  if (check.code === 'EXAM_SERIES') return check.passed ? '不属于设有统一考试的职称系列' : failedPhrases(check, new Set())[0];
  if (check.code === 'COMPLIANT_YEAR_COUNT') return `${period(check.fromYear!, check.toYear!)}符合学时要求的年度为${check.actual.years}年，需${check.required.years}年`;
  if (check.code === 'YEAR_COMPLIANT') return check.passed ? `${check.year}年${check.deemed ? '视同达标' : '达到年度学时要求'}` : failedPhrases(check, new Set())[0];
  return check.passed ? `${period(check.fromYear!, check.toYear!)}累计学时达到要求` : failedPhrases(check, new Set())[0];
}

/** What was not checked, so that `eligible` never reads as more than it is. */
function notCheckedPhrase(checks: CheckResult[]): string {
  const measures = [...new Set(checks.flatMap((check) => check.notChecked ?? []))];
  return measures.length ? `${measures.map((m) => MEASURE_NAMES[m]).join('、')}学时未核查（本服务未收录该系列评审通知的要求）` : '';
}

export function summarize(outcome: DecisionOutcome, checks: CheckResult[], reasons: string[]): string {
  const notChecked = notCheckedPhrase(checks);
  const tail = notChecked ? `${notChecked}。` : '';
  if (outcome === 'ineligible') {
    const yearsSaid = new Set<number>();
    const phrases = checks.filter((check) => !check.passed).flatMap((check) => failedPhrases(check, yearsSaid));
    return `不符合：${phrases.join('；')}。${tail}`;
  }
  if (outcome === 'undetermined') {
    const reason = reasons.join('').replace(/。?$/, '。');
    return `无法判定：${reason}${tail}`;
  }
  const years = checks.flatMap((check) => (check.year !== undefined ? [check.year] : check.fromYear !== undefined ? [check.fromYear, check.toYear!] : []));
  const span = years.length ? `${period(Math.min(...years), Math.max(...years))}的` : '';
  return `符合：${span}继续教育学时达到要求。${tail}`;
}
