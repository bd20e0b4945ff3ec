import { applicableRule, contextFor, evaluate, range, runCheck } from './evaluate.js';
import { formatHours, MEASURE_NAMES } from './summary.js';
import {
  type CheckResult,
  type CheckSpec,
  type Decision,
  type EligibilityRequest,
  EvaluationInputError,
  type Measure,
  type RuleSet,
  type YearTotals,
} from './types.js';

/**
 * The planner: "what must I still earn, and by when?" For an application year A from the current
 * year C on, the fewest hours per category to earn in each open year (C…A) for the decision to become
 * eligible, or the closed years (before C) that no later hours can repair. Pure, like the evaluator:
 * each check kind has its planner, which runs the check on the ledger as planned so far and adds
 * what its shortfalls say is missing. Hours are integer tenths inside.
 */

export interface PlanYear {
  year: number;
  /** Hours still to earn in that year, by category. */
  needed: { professional: number; generalPublic: number; industryPublic: number };
}

export interface PlanBlocker {
  year: number;
  reason: string;
}

export interface Plan {
  /** The decision on the ledger as it stands. */
  decision: Decision;
  feasible: boolean;
  years: PlanYear[];
  blockers: PlanBlocker[];
}

/** Tenths to add to one year: professional, general public, industry public. */
type Addition = [number, number, number];

interface PlanState {
  request: EligibilityRequest;
  currentYear: number;
  totals: readonly YearTotals[];
  additions: Map<number, Addition>;
  blockers: PlanBlocker[];
}

/** The fewest tenths per category that close a check's shortfall (public = general + industry, total = all three). */
function additionFor(shortfall: Record<string, number>): Addition {
  const tenths = (measure: Measure) => Math.round((shortfall[measure] ?? 0) * 10);
  let professional = tenths('professional');
  const generalPublic = tenths('generalPublic');
  const industryPublic = Math.max(0, tenths('public') - generalPublic);
  // The rest of a total may be earned in any category; professional is where most hours go.
  professional += Math.max(0, tenths('total') - professional - generalPublic - industryPublic);
  return [professional, generalPublic, industryPublic];
}

/** One blocker a year: a second rule the year breaks is added to its reason. */
function block(state: PlanState, year: number, reason: string): void {
  const existing = state.blockers.find((blocker) => blocker.year === year);
  if (!existing) state.blockers.push({ year, reason });
  else if (reason.startsWith(existing.reason)) existing.reason = reason;
  else if (!existing.reason.includes(reason)) existing.reason += `；${reason}`;
}

const costOf = (addition: Addition) => addition[0] + addition[1] + addition[2];

function add(state: PlanState, year: number, addition: Addition): void {
  const current = state.additions.get(year) ?? [0, 0, 0];
  state.additions.set(year, [current[0] + addition[0], current[1] + addition[1], current[2] + addition[2]]);
}

/** The ledger with what is planned so far. */
function plannedTotals(state: PlanState): YearTotals[] {
  const byYear = new Map(state.totals.map((t) => [t.year, { ...t }]));
  for (const [year, [professional, generalPublic, industryPublic]] of state.additions) {
    const totals = byYear.get(year) ?? { year, professional: 0, generalPublic: 0, industryPublic: 0 };
    byYear.set(year, { year, professional: totals.professional + professional, generalPublic: totals.generalPublic + generalPublic, industryPublic: totals.industryPublic + industryPublic });
  }
  return [...byYear.values()];
}

const missingWords = (shortfall: Record<string, number>) =>
  (['professional', 'generalPublic', 'public', 'total'] as Measure[])
    .filter((measure) => (shortfall[measure] ?? 0) > 0)
    .map((measure) => `${MEASURE_NAMES[measure]}差${formatHours(shortfall[measure])}学时`)
    .join('、');

/** A closed year that fell short of the annual minimum, in words. */
const closedYear = (check: { year: number; shortfall?: Record<string, number> }) =>
  `${check.year}年未达到年度学时要求（${missingWords(check.shortfall ?? {})}），该年度已过，无法补足`;

type Planner<K extends CheckSpec['kind']> = (checks: CheckResult[], state: PlanState, spec: Extract<CheckSpec, { kind: K }>) => void;

/** One planner per check kind: a new kind of check brings its planner with it (the type says so). */
const PLANNERS: { [K in CheckSpec['kind']]: Planner<K> } = {
  recent_years_compliant(checks, state) {
    for (const check of checks.filter((c) => !c.passed)) {
      if (check.year! < state.currentYear) block(state, check.year!, closedYear({ year: check.year!, shortfall: check.shortfall }));
      else add(state, check.year!, additionFor(check.shortfall));
    }
  },

  compliant_year_count(checks, state) {
    const [check] = checks;
    if (!check || check.passed) return;
    const open = (check.years ?? [])
      .filter((year) => !year.compliant && year.year >= state.currentYear)
      .map((year) => ({ year: year.year, addition: additionFor(year.shortfall ?? {}) }))
      // The cheapest years first; of equal cost, the later ones (more time to earn them).
      .sort((a, b) => costOf(a.addition) - costOf(b.addition) || b.year - a.year);
    const needed = check.shortfall.years;
    if (open.length < needed) {
      const period = `${check.fromYear}—${check.toYear}年`;
      for (const year of (check.years ?? []).filter((y) => !y.compliant && y.year < state.currentYear)) {
        block(state, year.year, `${closedYear(year)}；${period}已无法达到${check.required.years}个达标年度`);
      }
      return;
    }
    for (const { year, addition } of open.slice(0, needed)) add(state, year, addition);
  },

  cumulative_window(checks, state) {
    planWindow(checks, state);
  },

  initial_determination(checks, state) {
    planWindow(checks, state);
  },

  exam_series(checks, state, spec) {
    if (checks.some((check) => !check.passed)) block(state, state.request.applicationYear, spec.note);
  },
};

/** A window's sum may be earned in any of its open years: the plan puts it in the first, the soonest. */
function planWindow(checks: CheckResult[], state: PlanState): void {
  for (const check of checks.filter((c) => !c.passed)) add(state, Math.max(check.fromYear!, state.currentYear), additionFor(check.shortfall));
}

export function plan(ruleSet: RuleSet, request: EligibilityRequest, totals: readonly YearTotals[], currentYear: number): Plan {
  if (request.applicationYear < currentYear) {
    throw new EvaluationInputError([{ path: 'applicationYear', problem: 'before_current_year', currentYear }]);
  }
  const decision = evaluate(ruleSet, request, totals);
  const state: PlanState = { request, currentYear, totals, additions: new Map(), blockers: [] };
  const rule = applicableRule(ruleSet, request);
  if (decision.decision === 'undetermined' || !rule) {
    // Nothing earned can settle what the notice does not cover.
    const reason = decision.summary.replace(/^无法判定：/, '');
    return { decision, feasible: false, years: [], blockers: [{ year: request.applicationYear, reason }] };
  }
  for (const spec of rule.checks ?? []) {
    const outcome = runCheck(spec, contextFor(ruleSet, request, plannedTotals(state), rule));
    PLANNERS[spec.kind](outcome.checks, state, spec as never);
    if (outcome.stop) break;
  }
  const feasible = state.blockers.length === 0;
  if (feasible && evaluate(ruleSet, request, plannedTotals(state)).decision !== 'eligible') {
    throw new Error(`The plan for ${ruleSet.id} does not make the request eligible: a planner is wrong`);
  }
  const years = !feasible
    ? []
    : range(currentYear, request.applicationYear).map((year) => {
        const [professional, generalPublic, industryPublic] = state.additions.get(year) ?? [0, 0, 0];
        return { year, needed: { professional: professional / 10, generalPublic: generalPublic / 10, industryPublic: industryPublic / 10 } };
      });
  return { decision, feasible, years, blockers: state.blockers.sort((a, b) => a.year - b.year) };
}
