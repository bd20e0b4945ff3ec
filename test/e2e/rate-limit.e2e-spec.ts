import { ADMIN_KEY, bearer, createProvider, startTestApp, type TestApp } from '../support/test-app.js';

describe('rate limiting per key', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp('ratelimit', { RATE_LIMIT_PER_MINUTE: '5', QUEUE_PREFIX: `ce_test_rl_${Date.now()}` });
  });
  afterAll(() => test.close());

  it('the request past RATE_LIMIT_PER_MINUTE is 429 with Retry-After; other keys are counted apart', async () => {
    // Counts reset at each minute: keep clear of a boundary so that all six requests share a window.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 57_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
    const provider = (await createProvider(test, 'rl-a')).apiKey; // the admin key's first request
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await test.http().get('/api/v1/hours').set(bearer(provider))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);

    const limited = await test.http().get('/api/v1/hours').set(bearer(provider)).expect(429);
    expect(limited.body).toMatchObject({ status: 429, code: 'AUTH.RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);

    await test.http().post('/api/v1/admin/clients').set(bearer(ADMIN_KEY)).send({ name: 'x', role: 'title_system' }).expect(201);
  });
});
