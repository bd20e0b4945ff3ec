export { evaluate } from './evaluate.js';
export { selectRuleSet } from './select.js';
export { formatHours, LEVEL_NAMES, summarize, TRACK_NAMES } from './summary.js';
export * from './types.js';
