import { Injectable } from '@nestjs/common';
import { join } from 'node:path';
import { fieldError, type FieldError, InvalidRequestError, NotFoundError } from '../common/domain-error.js';
import { message } from '../common/messages.js';
import { projectRoot } from '../common/project-root.js';
import { type EligibilityRequest, EvaluationInputError, NoRuleSetError, type RuleSet, selectRuleSet } from './engine/index.js';
import { loadRuleSets } from './rule-set-loader.js';
import { loadSeries, type Series } from './series.js';

export const RULES_DIRECTORY = join(projectRoot(), 'config', 'rules');
export const SERIES_FILE = join(projectRoot(), 'config', 'series.yaml');

/**
 * The published rule sets, loaded and validated once at start: a bad file stops the start with a
 * message naming the file and the key.
 */
@Injectable()
export class RuleSetsService {
  private readonly seriesList: readonly Series[] = loadSeries(SERIES_FILE);
  private readonly seriesCodes = new Set(this.seriesList.map((series) => series.code));
  private readonly ruleSets: readonly RuleSet[] = loadRuleSets(RULES_DIRECTORY, this.seriesCodes);

  /** The title series (职称系列) a request may name. */
  series(): readonly Series[] {
    return this.seriesList;
  }

  /** The rule set that judges the request, once its series (if any) is a known one. */
  forRequest(request: EligibilityRequest): RuleSet {
    if (request.series !== undefined && !this.seriesCodes.has(request.series)) {
      throw new InvalidRequestError([fieldError('series', 'FIELD.UNKNOWN_SERIES', { series: request.series, codes: [...this.seriesCodes] })]);
    }
    return this.inForce(request.city, request.applicationYear);
  }

  all(): readonly RuleSet[] {
    return this.ruleSets;
  }

  /** The city's name as its notices write it (丽水); the code itself for a city without rule sets. */
  cityName(city: string): string {
    return this.ruleSets.find((ruleSet) => ruleSet.city === city)?.cityName ?? city;
  }

  byId(id: string): RuleSet {
    const ruleSet = this.ruleSets.find((candidate) => candidate.id === id);
    if (!ruleSet) throw new NotFoundError('RULES.NOT_FOUND', message('RULES.NOT_FOUND', { id }));
    return ruleSet;
  }

  /** The rule set in force for the city and application year, or a 422 that names both. */
  inForce(city: string, applicationYear: number): RuleSet {
    try {
      return selectRuleSet(this.ruleSets, city, applicationYear);
    } catch (error) {
      if (!(error instanceof NoRuleSetError)) throw error;
      if (error.firstEffective === null) {
        const cities = [...new Set(this.ruleSets.map((r) => r.city))].sort();
        throw new InvalidRequestError([fieldError('city', 'FIELD.UNKNOWN_CITY', { city, cities })]);
      }
      const notInForce = message('RULES.NOT_IN_FORCE', { city, applicationYear, firstEffective: error.firstEffective });
      throw new InvalidRequestError([{ path: 'applicationYear', message: notInForce }], notInForce);
    }
  }
}

/** The engine's input problems as the API's field errors, each path under `prefix` (`requests[3].`). */
export function inputFieldErrors(error: EvaluationInputError, prefix = ''): FieldError[] {
  return error.errors.map((problem) => {
    switch (problem.problem) {
      case 'required':
        return fieldError(prefix + problem.path, 'FIELD.REQUIRED_FOR_RULE', { city: problem.city, track: problem.track, titleLevel: problem.titleLevel });
      case 'not_after':
        return fieldError(prefix + problem.path, 'FIELD.NOT_AFTER', { other: problem.other });
      case 'before_current_year':
        return fieldError(prefix + problem.path, 'FIELD.PLAN_YEAR', { min: problem.currentYear });
    }
  });
}
