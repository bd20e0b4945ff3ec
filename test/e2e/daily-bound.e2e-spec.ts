import fc from 'fast-check';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';
import { bearer, createProvider, startTestApp, type TestApp } from '../support/test-app.js';

/** Two days of one year and one of the next: year totals and days both vary. */
const DAYS = ['2024-03-01', '2024-11-30', '2025-01-01'];
const MAX_TENTHS = 5000; // MAX_HOURS_PER_PERSON_DAY, 500 hours
const CATEGORIES = ['professional', 'general_public', 'industry_public'] as const;

type Operation =
  | { kind: 'post'; provider: number; day: number; hours: number; category: (typeof CATEGORIES)[number]; batch: boolean }
  | { kind: 'reverse'; pick: number };

/**
 * The daily bound against a model of it: each provider's net hours for the person on each day, 500 at
 * most. The service reads year totals first and sums a day exactly only when the year could pass the
 * bound; whatever it reads, it must accept and refuse exactly what the model does, reversals included.
 */
describe('the daily bound, against a model', () => {
  let test: TestApp;
  let keys: string[];
  beforeAll(async () => {
    test = await startTestApp('dailybound');
    keys = [(await createProvider(test, 'bound-a')).apiKey, (await createProvider(test, 'bound-b')).apiKey];
  });
  afterAll(() => test.close());

  it('accepts exactly the posts that keep every provider’s day at 500 hours or less', async () => {
    let run = 0;
    let refused = 0;
    const operation: fc.Arbitrary<Operation> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('post' as const),
          provider: fc.integer({ min: 0, max: 1 }),
          day: fc.integer({ min: 0, max: DAYS.length - 1 }),
          hours: fc.integer({ min: 10, max: 30 }).map((n) => n * 10),
          category: fc.constantFrom(...CATEGORIES),
          batch: fc.boolean(),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 4, maxLength: 25, size: 'max' }), async (operations) => {
        // A new person each run (shrinking runs it many more times than numRuns): 1,000 numbers a birth date.
        run += 1;
        const person = { idNumber: testIdNumber(run % 1000, `198001${String(1 + Math.floor(run / 1000)).padStart(2, '0')}`), personName: `学员${run}` };
        const netByProviderDay = new Map<string, number>();
        const recorded: { id: string; provider: number; day: number; tenths: number; reversed: boolean }[] = [];
        for (const [index, op] of operations.entries()) {
          if (op.kind === 'post') {
            const key = `${op.provider}:${op.day}`;
            const accepted = (netByProviderDay.get(key) ?? 0) + op.hours * 10 <= MAX_TENTHS;
            const body = entry(`bound-${run}-${index}`, { ...person, hours: op.hours, category: op.category, completedOn: DAYS[op.day] });
            const response = op.batch
              ? await test.http().post('/api/v1/hours/batch').set(bearer(keys[op.provider])).send({ entries: [body] })
              : await test.http().post('/api/v1/hours').set(bearer(keys[op.provider])).send(body);
            expect({ index, op, status: response.status }).toEqual({ index, op, status: accepted ? 201 : 422 });
            if (!accepted) {
              refused += 1;
              continue;
            }
            netByProviderDay.set(key, (netByProviderDay.get(key) ?? 0) + op.hours * 10);
            recorded.push({ id: op.batch ? response.body.entries[0].id : response.body.id, provider: op.provider, day: op.day, tenths: op.hours * 10, reversed: false });
          } else {
            const open = recorded.filter((r) => !r.reversed);
            if (open.length === 0) continue;
            const target = open[op.pick % open.length];
            await test.http().post(`/api/v1/hours/${target.id}/reversal`).set(bearer(keys[target.provider])).send({ reason: '更正' }).expect(201);
            target.reversed = true;
            const key = `${target.provider}:${target.day}`;
            netByProviderDay.set(key, netByProviderDay.get(key)! - target.tenths);
          }
        }
      }),
      { numRuns: 40 },
    );
    // The runs went past the bound often enough to test the refusals too.
    expect(refused).toBeGreaterThan(10);
  });
});
