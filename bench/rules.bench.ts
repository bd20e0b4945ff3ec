import { type EligibilityRequest, evaluate, selectRuleSet, type YearTotals } from '../src/rules/engine/index.js';
import { loadRuleSets } from '../src/rules/rule-set-loader.js';
import { RULES_DIRECTORY } from '../src/rules/rule-sets.service.js';
import { type BenchApp, startBenchApp } from './lib/bench-app.js';
import { load, type LoadResult } from './lib/http-load.js';
import { seedApplicant } from './lib/seed.js';
import { printTable, round, writeResult, runIfMain } from './lib/report.js';

/**
 * Rules benchmark: evaluations per second of the pure evaluator (one core), and requests per second
 * of POST /api/v1/eligibility/preview. `npm run bench:rules`; sizes by environment:
 * BENCH_EVALUATIONS (default 500000), BENCH_SECONDS (10), BENCH_CONNECTIONS (50).
 */

const REQUESTS: EligibilityRequest[] = [
  { city: 'lishui', applicationYear: 2026, track: 'promotion', titleLevel: 'intermediate', requiredYears: 5 },
  { city: 'quzhou', applicationYear: 2026, track: 'promotion', titleLevel: 'junior', education: 'bachelor' },
  { city: 'quzhou', applicationYear: 2026, track: 'initial', titleLevel: 'intermediate', education: 'master', series: 'engineering' },
  { city: 'wenzhou', applicationYear: 2026, track: 'promotion', titleLevel: 'intermediate', requiredYears: 5 },
];

/** Ten ledger years that meet every city's annual minimum. */
const TOTALS: YearTotals[] = Array.from({ length: 10 }, (_, i) => ({ year: 2017 + i, professional: 650, generalPublic: 150, industryPublic: 100 }));

export function measureEvaluator(evaluations: number) {
  const ruleSets = loadRuleSets(RULES_DIRECTORY);
  const cases = REQUESTS.map((request) => ({ request, ruleSet: selectRuleSet(ruleSets, request.city, request.applicationYear) }));
  let eligible = 0;
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      const { ruleSet, request } = cases[i % cases.length];
      if (evaluate(ruleSet, request, TOTALS).decision === 'eligible') eligible++;
    }
  };
  run(Math.min(evaluations, 20_000)); // warm-up
  eligible = 0;
  const started = process.hrtime.bigint();
  run(evaluations);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { evaluations, seconds: round(seconds, 3), evaluationsPerSecond: round(evaluations / seconds), eligible };
}

/** The applicant whose eligibility the preview asks about. */
export const seedPreviewTarget = (bench: BenchApp) => seedApplicant(bench, 'bench-rules', 1);

export function measurePreview(bench: BenchApp, target: { titleSystemKey: string; idNumber: string }, seconds: number, connections: number): Promise<LoadResult> {
  return load({
    url: `${bench.url}/api/v1/eligibility/preview`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.titleSystemKey}` },
    body: JSON.stringify({ idNumber: target.idNumber, ...REQUESTS[0] }),
    connections,
    seconds,
  });
}

async function main() {
  const evaluations = Number(process.env.BENCH_EVALUATIONS ?? 500_000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

  const evaluator = measureEvaluator(evaluations);
  const bench = await startBenchApp('rules');
  try {
    const target = await seedPreviewTarget(bench);
    const preview = await measurePreview(bench, target, seconds, connections);
    printTable('Rules', [
      { workload: 'pure evaluator (one core)', 'ops/s': evaluator.evaluationsPerSecond, 'p99 ms': '-', errors: 0 },
      { workload: `POST /eligibility/preview (${connections} conn.)`, 'ops/s': round(preview.requestsPerSecond), 'p99 ms': preview.latencyP99Ms, errors: preview.non2xx + preview.errors },
    ]);
    console.log(`results: ${writeResult('rules', { evaluator, preview: { ...preview, seconds, connections } })}`);
  } finally {
    await bench.close();
  }
}

runIfMain(import.meta.url, main);
