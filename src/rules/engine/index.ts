export { describeShortfall } from './describe.js';
export { evaluate } from './evaluate.js';
export { selectRuleSet } from './select.js';
export * from './types.js';
