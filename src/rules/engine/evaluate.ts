import {
  type CheckResult,
  type CheckSpec,
  type Citation,
  type Decision,
  type EligibilityRequest,
  EvaluationInputError,
  type HoursRequirement,
  type Measure,
  type RuleSet,
  type TrackRule,
  type YearBreakdown,
  type YearTotals,
} from './types.js';
import { summarize } from './summary.js';

/**
 * The rules engine: a pure function of (rule set, request, year totals) → decision. No I/O, no
 * framework: the same inputs always give the same decision. Hours are integer tenths throughout
 * and become one-decimal numbers only in the output.
 */
export function evaluate(ruleSet: RuleSet, request: EligibilityRequest, yearTotals: readonly YearTotals[]): Decision {
  const notes = [...(ruleSet.parameters.notes ?? [])];
  const rule = applicableRule(ruleSet, request);
  if (!rule) {
    const reason = `本规则集（${ruleSet.citation.document}）未规定该类申报（${request.track}，${request.titleLevel}）的继续教育学时要求。`;
    return decision(ruleSet, 'undetermined', [], [...notes, reason], [reason]);
  }
  if (rule.undetermined !== undefined) {
    return decision(ruleSet, 'undetermined', [], [...notes, rule.undetermined], [rule.undetermined]);
  }

  const context = contextFor(ruleSet, request, yearTotals, rule);
  const checks: CheckResult[] = [];
  const reasons: string[] = [];
  let undetermined = false;
  for (const spec of rule.checks ?? []) {
    const outcome = runCheck(spec, context);
    checks.push(...outcome.checks);
    notes.push(...(outcome.notes ?? []));
    if (outcome.undetermined) {
      undetermined = true;
      reasons.push(...(outcome.notes ?? []));
    }
    if (outcome.stop) break;
  }
  const outcome = checks.some((check) => !check.passed) ? 'ineligible' : undetermined ? 'undetermined' : 'eligible';
  return decision(ruleSet, outcome, checks, notes, reasons);
}

/** The first rule of the request's track whose `when` matches it, if any. */
export function applicableRule(ruleSet: RuleSet, request: EligibilityRequest): TrackRule | undefined {
  const tracks = ruleSet.parameters.tracks;
  // A caller's string indexes rule data only as an own property: "constructor" is no track.
  return (Object.hasOwn(tracks, request.track) ? (tracks[request.track] ?? []) : []).find((candidate) => ruleApplies(candidate, request));
}

export interface Context {
  ruleSet: RuleSet;
  request: EligibilityRequest;
  totals: Map<number, YearTotals>;
  citation: Pick<Citation, 'section' | 'quote'>;
}

export function contextFor(ruleSet: RuleSet, request: EligibilityRequest, yearTotals: readonly YearTotals[], rule: TrackRule): Context {
  return {
    ruleSet,
    request,
    totals: new Map(yearTotals.map((t) => [t.year, t])),
    citation: { section: rule.citation?.section ?? ruleSet.citation.section, quote: rule.citation?.quote ?? ruleSet.citation.quote },
  };
}

/** One check of a rule, as its kind evaluates it against the context's totals. */
export const runCheck = (spec: CheckSpec, context: Context): CheckOutcome => CHECK_KINDS[spec.kind](spec as never, context);

export interface CheckOutcome {
  checks: CheckResult[];
  notes?: string[];
  /** The notice does not settle the request (e.g. an education/level pair it does not cover). */
  undetermined?: boolean;
  /** Nothing after this check applies (e.g. an exam series gets no initial determination at all). */
  stop?: boolean;
}

type CheckKinds = { [K in CheckSpec['kind']]: (spec: Extract<CheckSpec, { kind: K }>, context: Context) => CheckOutcome };

const CHECK_KINDS: CheckKinds = {
  recent_years_compliant(spec, context) {
    const years = spec.years === 'requiredYears' ? requiredYearsOf(context) : spec.years;
    const to = context.request.applicationYear;
    return { checks: range(to - years + 1, to).map((year) => yearCheck(year, context)) };
  },

  compliant_year_count(_spec, context) {
    const required = requiredYearsOf(context);
    const to = context.request.applicationYear;
    const from = context.request.qualifyingSince ?? to - required + 1;
    if (from > to) throw new EvaluationInputError([{ path: 'qualifyingSince', problem: 'not_after', other: 'applicationYear' }]);
    const years = range(from, to).map((year): YearBreakdown => {
      const check = yearCheck(year, context);
      return { year, compliant: check.passed, ...(check.deemed ? { deemed: true } : {}), actual: check.actual, shortfall: check.shortfall };
    });
    const compliant = years.filter((year) => year.compliant).length;
    return {
      checks: [
        {
          code: 'COMPLIANT_YEAR_COUNT',
          passed: compliant >= required,
          fromYear: from,
          toYear: to,
          required: { years: required },
          actual: { years: compliant },
          shortfall: { years: Math.max(0, required - compliant) },
          years,
          citation: context.citation,
        },
      ],
    };
  },

  cumulative_window(spec, context) {
    const to = context.request.applicationYear;
    const from = to - spec.years + 1;
    const minimum: HoursRequirement = { ...spec.minimum };
    if (spec.professionalBySeries) {
      // A caller's string indexes rule data only as an own property: "constructor" is no series.
      const bySeries = context.ruleSet.parameters.professionalHoursBySeries ?? {};
      const series = context.request.series;
      if (series === undefined || !Object.hasOwn(bySeries, series)) {
        const check = { ...windowCheck('CUMULATIVE_HOURS', from, to, minimum, context), notChecked: ['professional' as const] };
        return { checks: [check], notes: [spec.professionalBySeries.whenMissing] };
      }
      minimum.professional = bySeries[series];
    }
    return { checks: [windowCheck('CUMULATIVE_HOURS', from, to, minimum, context)] };
  },

  initial_determination(spec, context) {
    const education = context.request.education;
    if (education === undefined) throw missing('education', context);
    const row = spec.table.find((r) => r.titleLevel === context.request.titleLevel && r.education.includes(education));
    if (!row) return { checks: [], notes: [spec.notCovered], undetermined: true };
    const to = context.request.applicationYear;
    const from = Math.max(to - row.workYears + 1, context.request.workStartYear ?? Number.NEGATIVE_INFINITY);
    return { checks: [windowCheck('INITIAL_DETERMINATION_HOURS', from, to, row.minimum, context)] };
  },

  exam_series(spec, context) {
    const series = context.request.series;
    if (series === undefined) throw missing('series', context);
    const isExamSeries = (context.ruleSet.parameters.examSeries ?? []).includes(series);
    const check: CheckResult = { code: 'EXAM_SERIES', passed: !isExamSeries, required: {}, actual: {}, shortfall: {}, citation: context.citation };
    return isExamSeries ? { checks: [check], notes: [spec.note], stop: true } : { checks: [check] };
  },
};

/** One ledger year against the annual minimum; years before deemedCompliantBefore pass as deemed. */
function yearCheck(year: number, context: Context): CheckResult {
  const { annualMinimum, deemedCompliantBefore } = context.ruleSet.parameters;
  if (!annualMinimum) throw new Error(`Rule set ${context.ruleSet.id} uses annual checks but has no annualMinimum`);
  const comparison = compare(annualMinimum, measuresOf(context.totals.get(year)));
  const deemed = deemedCompliantBefore !== undefined && year < deemedCompliantBefore;
  return {
    code: 'YEAR_COMPLIANT',
    passed: deemed || comparison.passed,
    year,
    ...(deemed ? { deemed: true } : {}),
    required: comparison.required,
    actual: comparison.actual,
    shortfall: deemed ? zeroes(comparison.shortfall) : comparison.shortfall,
    citation: context.citation,
  };
}

function windowCheck(code: string, from: number, to: number, minimum: HoursRequirement, context: Context): CheckResult {
  const sum: YearTotals = { year: to, professional: 0, generalPublic: 0, industryPublic: 0 };
  for (const year of range(from, to)) {
    const totals = context.totals.get(year);
    if (!totals) continue;
    sum.professional += totals.professional;
    sum.generalPublic += totals.generalPublic;
    sum.industryPublic += totals.industryPublic;
  }
  const measures = MEASURE_ORDER.filter((measure) => minimum[measure] !== undefined);
  const years = range(from, to).map((year): YearBreakdown => {
    const own = measuresOf(context.totals.get(year));
    return { year, actual: Object.fromEntries(measures.map((measure) => [measure, own[measure] / 10])) };
  });
  return { code, fromYear: from, toYear: to, ...compare(minimum, measuresOf(sum)), years, citation: context.citation };
}

const MEASURE_ORDER: Measure[] = ['total', 'professional', 'public', 'generalPublic'];

/** Required vs actual for the measures the requirement names, in hours; tenths inside. */
function compare(requirement: HoursRequirement, actualTenths: Record<Measure, number>) {
  const required: Record<string, number> = {};
  const actual: Record<string, number> = {};
  const shortfall: Record<string, number> = {};
  let passed = true;
  for (const measure of MEASURE_ORDER) {
    const hours = requirement[measure];
    if (hours === undefined) continue;
    const requiredTenths = Math.round(hours * 10);
    const missingTenths = Math.max(0, requiredTenths - actualTenths[measure]);
    required[measure] = requiredTenths / 10;
    actual[measure] = actualTenths[measure] / 10;
    shortfall[measure] = missingTenths / 10;
    if (missingTenths > 0) passed = false;
  }
  return { passed, required, actual, shortfall };
}

function measuresOf(totals: YearTotals | undefined): Record<Measure, number> {
  const { professional = 0, generalPublic = 0, industryPublic = 0 } = totals ?? {};
  return {
    total: professional + generalPublic + industryPublic,
    professional,
    public: generalPublic + industryPublic,
    generalPublic,
  };
}

function ruleApplies(rule: TrackRule, request: EligibilityRequest): boolean {
  const when = rule.when ?? {};
  if (when.titleLevel && !when.titleLevel.includes(request.titleLevel)) return false;
  if (when.education) {
    if (request.education === undefined) {
      throw new EvaluationInputError([
        { path: 'education', problem: 'required', city: request.city, track: request.track, titleLevel: request.titleLevel },
      ]);
    }
    if (!when.education.includes(request.education)) return false;
  }
  return true;
}

function requiredYearsOf(context: Context): number {
  if (context.request.requiredYears === undefined) throw missing('requiredYears', context);
  return context.request.requiredYears;
}

const missing = (field: keyof EligibilityRequest, context: Context) =>
  new EvaluationInputError([
    { path: field, problem: 'required', city: context.request.city, track: context.request.track, titleLevel: context.request.titleLevel },
  ]);

const zeroes = (values: Record<string, number>) => Object.fromEntries(Object.keys(values).map((key) => [key, 0]));

export const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** `reasons`: why the request is undetermined, in the notice's words (for the summary). */
function decision(ruleSet: RuleSet, outcome: Decision['decision'], checks: CheckResult[], notes: string[], reasons: string[] = []): Decision {
  return {
    decision: outcome,
    summary: summarize(outcome, checks, reasons),
    ruleSet: { id: ruleSet.id, city: ruleSet.city, effectiveFrom: ruleSet.effectiveFrom, citation: ruleSet.citation },
    checks,
    notes,
  };
}
