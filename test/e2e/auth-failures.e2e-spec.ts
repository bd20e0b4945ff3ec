import { bearer, createProvider, startTestApp, type TestApp } from '../support/test-app.js';

/** Guessing credentials is limited per client address, across processes, whatever RATE_LIMIT_PER_MINUTE says. */
describe('failed authentication limit', () => {
  let first: TestApp;
  let second: TestApp;
  let provider: string;
  beforeAll(async () => {
    // Two processes of one deployment (same database and queue prefix), the per-key rate limit off.
    first = await startTestApp('authfail', { AUTH_FAILURES_PER_MINUTE: '5', RATE_LIMIT_PER_MINUTE: '0' });
    second = await startTestApp('authfail', { AUTH_FAILURES_PER_MINUTE: '5', RATE_LIMIT_PER_MINUTE: '0' }, first.databaseName);
    provider = (await createProvider(first, 'authfail')).apiKey;
  });
  afterAll(async () => {
    await second.app.close();
    await first.close();
  });

  it('after 5 wrong keys a minute from one address, both processes answer 429 with Retry-After, even to a right key', async () => {
    // Counts are per clock minute: start well inside one, so that the steps below share it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
    await first.http().get('/api/v1/hours').set(bearer(provider)).expect(200);
    await first.http().get('/api/v1/hours').expect(401); // no credential is no guess
    for (let i = 0; i < 3; i++) await first.http().get('/api/v1/hours').set(bearer(`cel_wrong-${i}`)).expect(401);
    for (let i = 0; i < 2; i++) await second.http().get('/api/v1/hours').set(bearer(`not.a.token${i}`)).expect(401);
    const blocked = await second.http().get('/api/v1/hours').set(bearer('cel_wrong-again')).expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(blocked.body).toMatchObject({ code: 'AUTH.RATE_LIMITED', title: '请求过于频繁' });
    await first.http().get('/api/v1/hours').set(bearer(provider)).expect(429);
  });
});
