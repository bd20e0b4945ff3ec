export { evaluate } from './evaluate.js';
export { plan, type Plan, type PlanBlocker, type PlanYear } from './plan.js';
export { selectRuleSet } from './select.js';
export { CHECK_NAMES, describeCheck, formatHours, LEVEL_NAMES, summarize, TRACK_NAMES } from './summary.js';
export * from './types.js';
