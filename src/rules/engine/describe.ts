import type { CheckResult } from './types.js';

const MEASURE_NAMES: Record<string, string> = {
  total: '总学时',
  professional: '专业科目',
  public: '公需科目',
  generalPublic: '一般公需科目',
};

const period = (check: CheckResult) =>
  check.year !== undefined ? `${check.year}年` : check.fromYear === check.toYear ? `${check.toYear}年` : `${check.fromYear}—${check.toYear}年`;

/** What a failed check misses, in words an applicant reads: "2023年：一般公需科目还差2学时". */
export function describeShortfall(check: CheckResult): string {
  if (check.code === 'EXAM_SERIES') return '该系列设有统一考试，需通过考试取得职称，不再进行职称初定';
  if (check.code === 'COMPLIANT_YEAR_COUNT') {
    return `${period(check)}达标年份${check.actual.years}年，还差${check.shortfall.years}年`;
  }
  const missing = Object.entries(check.shortfall)
    .filter(([, hours]) => hours > 0)
    .map(([measure, hours]) => `${MEASURE_NAMES[measure] ?? measure}还差${hours}学时`);
  const scope = check.code === 'YEAR_COMPLIANT' ? period(check) : `${period(check)}累计`;
  return `${scope}：${missing.join('，')}`;
}
