import { startBenchApp } from '../../bench/lib/bench-app.js';
import { measureEvaluator, measurePreview, seedPreviewTarget } from '../../bench/rules.bench.js';

/** The benchmarks are not part of npm test, but a run with tiny sizes is, so that they cannot rot. */
describe('benchmark smoke run', () => {
  it('rules: the pure evaluator and the preview endpoint under load', async () => {
    const evaluator = measureEvaluator(2000);
    expect(evaluator.evaluations).toBe(2000);
    expect(evaluator.eligible).toBe(2000);
    expect(evaluator.evaluationsPerSecond).toBeGreaterThan(0);

    const bench = await startBenchApp('smoke');
    try {
      const target = await seedPreviewTarget(bench);
      const preview = await measurePreview(bench, target, 1, 2);
      expect(preview.requests).toBeGreaterThan(0);
      expect(preview.non2xx).toBe(0);
      expect(preview.errors).toBe(0);
    } finally {
      await bench.close();
    }
  });
});
