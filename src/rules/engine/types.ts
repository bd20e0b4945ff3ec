/**
 * The vocabulary of the rules engine (see shared/RULES.md). Pure types: nothing here knows about
 * HTTP, Nest or the database.
 */

export const TRACKS = ['promotion', 'initial'] as const;
export type Track = (typeof TRACKS)[number];

export const TITLE_LEVELS = ['junior', 'intermediate', 'associate_senior', 'senior'] as const;
export type TitleLevel = (typeof TITLE_LEVELS)[number];

/** Ordered from lowest to highest: "bachelor or above" is bachelor, master and doctorate. */
export const EDUCATIONS = ['secondary', 'college', 'bachelor', 'master', 'doctorate'] as const;
export type Education = (typeof EDUCATIONS)[number];

/** What a check measures: the three categories' sums, public = general + industry public. */
export const MEASURES = ['total', 'professional', 'public', 'generalPublic'] as const;
export type Measure = (typeof MEASURES)[number];

/** Required hours by measure, in hours as the notices write them (at most one decimal). */
export type HoursRequirement = Partial<Record<Measure, number>>;

/** One ledger year's sums in integer tenths of an hour, reversals included. */
export interface YearTotals {
  year: number;
  professional: number;
  generalPublic: number;
  industryPublic: number;
}

export interface EligibilityRequest {
  city: string;
  applicationYear: number;
  track: Track;
  titleLevel: TitleLevel;
  requiredYears?: number;
  qualifyingSince?: number;
  education?: Education;
  series?: string;
  workStartYear?: number;
}

export interface Citation {
  document: string;
  section: string;
  quote: string;
}

/** The check kinds a rule set composes. A new city that reuses them needs no code. */
export type CheckSpec =
  /** Each of the last `years` years up to the application year is compliant (a number, or the request's requiredYears). */
  | { kind: 'recent_years_compliant'; years: number | 'requiredYears' }
  /** At least requiredYears compliant years in [qualifyingSince, A] (qualifyingSince defaults to A − requiredYears + 1). */
  | { kind: 'compliant_year_count' }
  /**
   * Hours summed over the last `years` years reach `minimum`. With professionalBySeries, the
   * professional minimum comes from the rule set's series table; a series without an entry is not
   * checked for professional hours, and the decision carries the `whenMissing` note.
   */
  | { kind: 'cumulative_window'; years: number; minimum: HoursRequirement; professionalBySeries?: { whenMissing: string } }
  /** Initial determination: the row for (education, level) gives the work years to sum and the minimum. */
  | { kind: 'initial_determination'; table: InitialDeterminationRow[]; notCovered: string }
  /** Series with a national or provincial exam get no initial determination. */
  | { kind: 'exam_series'; note: string };

export type CheckKind = CheckSpec['kind'];

export interface InitialDeterminationRow {
  education: Education[];
  titleLevel: TitleLevel;
  workYears: number;
  minimum: HoursRequirement;
}

/** The first rule of a track whose `when` matches the request applies. */
export interface TrackRule {
  when?: { titleLevel?: TitleLevel[]; education?: Education[] };
  /** The section and sentence this rule restates, when it is narrower than the rule set's citation. */
  citation?: Pick<Citation, 'section' | 'quote'>;
  /** The notice hands the question elsewhere: the decision is undetermined, with this note. */
  undetermined?: string;
  checks?: CheckSpec[];
}

export interface RuleSetParameters {
  /** What makes one ledger year compliant. */
  annualMinimum?: HoursRequirement;
  /** Every year before this one is deemed compliant, whatever its hours. */
  deemedCompliantBefore?: number;
  examSeries?: string[];
  /** Professional hours a series' own review notice requires over a cumulative window. */
  professionalHoursBySeries?: Record<string, number>;
  /** Said of every decision under this rule set (e.g. where provincial rules take precedence). */
  notes?: string[];
  tracks: Partial<Record<Track, TrackRule[]>>;
}

/** One published notice, as data. A later notice is a new rule set, never an edit. */
export interface RuleSet {
  id: string;
  city: string;
  cityName: string;
  /** The first application year the notice governs. */
  effectiveFrom: number;
  citation: Citation;
  parameters: RuleSetParameters;
}

/**
 * One year of a check that spans several years. A count of compliant years says whether each year
 * met the annual minimum (or is deemed to) and what it lacked; a window gives each year's hours in
 * the measures it sums (a window has no yearly minimum, so nothing is compliant or short per year).
 */
export interface YearBreakdown {
  year: number;
  compliant?: boolean;
  deemed?: boolean;
  actual: Record<string, number>;
  shortfall?: Record<string, number>;
}

export interface CheckResult {
  code: string;
  passed: boolean;
  year?: number;
  fromYear?: number;
  toYear?: number;
  deemed?: boolean;
  /** One item per year of the window, for checks over several years. */
  years?: YearBreakdown[];
  /** Measures the rule names but this check could not apply (e.g. Quzhou's professional hours for a series whose notice is not recorded). */
  notChecked?: Measure[];
  /** Hours by measure (or `years` for a count of compliant years), exact to one decimal. */
  required: Record<string, number>;
  actual: Record<string, number>;
  shortfall: Record<string, number>;
  citation: Pick<Citation, 'section' | 'quote'>;
}

export type DecisionOutcome = 'eligible' | 'ineligible' | 'undetermined';

export interface Decision {
  decision: DecisionOutcome;
  /** One or two plain Chinese sentences for the applicant, built from the checks (summary.ts). */
  summary: string;
  ruleSet: { id: string; city: string; effectiveFrom: number; citation: Citation };
  checks: CheckResult[];
  notes: string[];
}

/** A field the request lacks (or holds wrongly) for the rule that applies. */
export class EvaluationInputError extends Error {
  constructor(readonly errors: InputProblem[]) {
    super(errors.map((e) => `${e.path}: ${e.problem}`).join('; '));
  }
}

/**
 * A field the applicable rule needs but the request lacks (`required`, for that city, track and
 * level), or a year after the application year (`not_after`). Words are the caller's business.
 */
export type InputProblem =
  | { path: string; problem: 'required'; city: string; track: Track; titleLevel: TitleLevel }
  | { path: string; problem: 'not_after'; other: string }
  | { path: string; problem: 'before_current_year'; currentYear: number };

/** No rule set of the city is in force for the application year. */
export class NoRuleSetError extends Error {
  constructor(
    readonly city: string,
    readonly applicationYear: number,
    readonly firstEffective: number | null,
  ) {
    super(
      firstEffective === null
        ? `No rule set exists for city "${city}".`
        : `No rule set of ${city} is in force for application year ${applicationYear}: its first notice applies from ${firstEffective}.`,
    );
  }
}
