import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkCharacter } from '../../src/common/id-number.js';
import { orgCodeCheckCharacter } from '../../src/common/org-code.js';
import { launchChromium, withScreenshotOnFailure } from '../support/browser.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';
import { freePort, startIssuer } from '../support/oidc-issuer.js';
import { createAuthority, createEmployer, orgCode as orgCodeOf } from '../support/self-reports.js';
import { ADMIN_KEY, bearer, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Sign-in through a real OpenID Provider (in this process, on loopback) and the full redirect flow in
 * Chromium: authorization code with PKCE S256, state and nonce, a server-side session, CSRF tokens.
 */
describe('sign-in through OpenID Connect', () => {
  const person = testIdNumber(31);
  const badCheckDigit = person.slice(0, 17) + (person[17] === '0' ? '1' : '0');
  const orgFirst17 = '91330100MA2K00001';
  const orgCode = orgFirst17 + orgCodeCheckCharacter(orgFirst17);
  const unknownFirst17 = '91330100MA2K00002';
  const unknownOrg = unknownFirst17 + orgCodeCheckCharacter(unknownFirst17);
  const employerCode = orgCodeOf('91330100MA2K00003');
  const authorityCode = orgCodeOf('11330000MB1K00004');
  const bothCode = orgCodeOf('91330100MA2K00005');
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  let test: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let provider: string;

  beforeAll(async () => {
    const appPort = await freePort();
    base = `http://127.0.0.1:${appPort}`;
    issuer = await startIssuer({
      clientId: 'ce-ledger',
      clientSecret: 'issuer-test-client-secret',
      redirectUri: `${base}/auth/callback`,
      accounts: {
        zhangsan: { name: '张三', id_number: person.toLowerCase() },
        'bad-check-digit': { name: '李四', id_number: badCheckDigit },
        'training-centre': { name: '丽水市继续教育培训中心', org_code: orgCode },
        'unregistered-org': { name: '某公司', org_code: unknownOrg },
        hospital: { name: '丽水市中心医院', org_code: employerCode },
        hrss: { name: '丽水市人力资源和社会保障局', org_code: authorityCode },
        'hospital-school': { name: '丽水市卫生学校', org_code: bothCode },
        'no-claims': {},
      },
    });
    test = await startTestApp('signin', {
      NODE_ENV: 'development',
      OIDC_ISSUER: issuer.issuer,
      OIDC_CLIENT_ID: 'ce-ledger',
      OIDC_CLIENT_SECRET: 'issuer-test-client-secret',
      PUBLIC_BASE_URL: base,
      LOG_LEVEL: 'trace',
    });
    await test.app.listen({ port: appPort, host: '127.0.0.1' });
    provider = (await test.http().post('/api/v1/admin/providers').set(bearer(ADMIN_KEY)).send({ code: 'lishui-train', name: '丽水市继续教育培训中心', orgCode }).expect(201)).body.apiKey;
    await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('s-1', { personName: '张三' }, 31)).expect(201);
    await createEmployer(test, employerCode, '丽水市中心医院');
    await createAuthority(test, '丽水市人力资源和社会保障局', authorityCode);
    // One organisation that trains and employs: a provider and an employer under one code.
    await test.http().post('/api/v1/admin/providers').set(bearer(ADMIN_KEY)).send({ code: 'lishui-health-school', name: '丽水市卫生学校', orgCode: bothCode }).expect(201);
    await createEmployer(test, bothCode, '丽水市卫生学校');
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await issuer?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  });
  afterEach(() => context.close());

  /** The issuer's development login and consent forms, as a person fills them (a fresh browser context each time). */
  async function signInAt(account: string, start = `${base}/auth/login?next=/app/`) {
    await page.goto(start);
    await page.locator('input[name=login]').fill(account);
    await page.locator('input[name=password]').fill('any password');
    await page.locator('button[type=submit]').click();
    await page.locator('button[type=submit]', { hasText: 'Continue' }).click();
  }

  /** The issuer remembers who signed in there: a second sign-in in the same browser goes straight back. */
  async function signInAgain(start = `${base}/auth/login?next=/app/`) {
    await page.goto(start);
    const consent = page.locator('button[type=submit]', { hasText: 'Continue' });
    if (await consent.isVisible().catch(() => false)) await consent.click();
  }

  it('a person signs in, lands on /app/ with their ledger, and signs out', async () => {
    const callbacks: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${base}/auth/callback`)) callbacks.push(request.url());
    });
    await withScreenshotOnFailure(page, 'sso-person', async () => {
      await signInAt('zhangsan');
      await page.waitForURL(`${base}/app/`);
      await page.locator('#ledger .year').first().waitFor();
      expect(await page.locator('#person').textContent()).toContain(`张三  身份证号 330102********${person.slice(14)}（已通过统一身份认证登录）`);
      const cookies = await context.cookies(base);
      const session = cookies.find((cookie) => cookie.name === 'ce_session')!;
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
      const me = await page.request.get(`${base}/api/v1/session`);
      expect(await me.json()).toMatchObject({ kind: 'applicant', name: '张三', idNumberMasked: `330102********${person.slice(14)}`, acting: [], csrfToken: expect.any(String) });

      // The code and state are in the callback URL; the ID number never is, nor in any log line.
      expect(callbacks).toHaveLength(1);
      expect(callbacks[0]).toMatch(/[?&]code=[^&]+/);
      expect(callbacks[0]).not.toContain(person);
      expect(test.logs.text).not.toContain(person);
      expect(test.logs.text).not.toContain(person.toLowerCase());

      // A replayed callback (the same code and state) is refused with a page that says so.
      const replay = await page.goto(callbacks[0]);
      expect(replay!.status()).toBe(400);
      expect(await page.locator('.error').textContent()).toContain('登录请求已失效或无效');

      await page.goto(`${base}/app/`);
      await page.locator('#sign-out').click();
      await page.locator('#sign-in').waitFor();
      expect((await page.request.get(`${base}/api/v1/session`)).status()).toBe(401);
    });
  });

  it('a new sign-in rotates the session id; an expired session is signed out', async () => {
    await signInAt('zhangsan');
    await page.waitForURL(`${base}/app/`);
    const first = (await context.cookies(base)).find((cookie) => cookie.name === 'ce_session')!.value;
    await signInAgain();
    await page.waitForURL(`${base}/app/`);
    const second = (await context.cookies(base)).find((cookie) => cookie.name === 'ce_session')!.value;
    expect(second).not.toBe(first);
    const old = await test.http().get('/api/v1/me/ledger').set('cookie', `ce_session=${first}`);
    expect(old.status).toBe(401);

    // Expire it in Redis, as its TTL would.
    const redis = (await import('ioredis')).Redis;
    const client = new redis(process.env.REDIS_URL!);
    const keys = await client.keys(`${process.env.QUEUE_PREFIX}:session:*`);
    expect(keys.length).toBeGreaterThan(0);
    await client.del(...keys);
    await client.quit();
    expect((await page.request.get(`${base}/api/v1/me/ledger`)).status()).toBe(401);
    await page.goto(`${base}/app/`);
    await page.locator('#sign-in').waitFor();
  });

  it.each([
    ['an ID number with a bad check digit', 'bad-check-digit', 400, '未通过校验（GB 11643）'],
    ['an organisation no provider is registered with', 'unregistered-org', 403, '尚未在本服务登记为培训机构'],
    ['neither an ID number nor an organisation code', 'no-claims', 400, '未提供身份证号或统一社会信用代码'],
  ])('refuses %s, with a clear page', async (_label, account, status, text) => {
    await withScreenshotOnFailure(page, `sso-refused-${account}`, async () => {
      const response = page.waitForResponse((r) => r.url().startsWith(`${base}/auth/callback`));
      await signInAt(account);
      expect((await response).status()).toBe(status);
      expect(await page.locator('.error').textContent()).toContain(text);
      expect((await page.request.get(`${base}/api/v1/session`)).status()).toBe(401);
    });
  });

  it('a wrong state, or a callback in another browser, is refused', async () => {
    const wrong = await page.goto(`${base}/auth/callback?code=abc&state=not-the-state`);
    expect(wrong!.status()).toBe(400);
    // The sign-in starts in this browser, but its binding cookie is gone when the callback arrives
    // (as in another browser that was handed the link): refused, and the state is spent.
    await page.goto(`${base}/auth/login?next=/app/`);
    await context.clearCookies({ name: 'ce_login' });
    await page.locator('input[name=login]').fill('zhangsan');
    await page.locator('input[name=password]').fill('any password');
    await page.locator('button[type=submit]').click();
    const response = page.waitForResponse((r) => r.url().startsWith(`${base}/auth/callback`));
    await page.locator('button[type=submit]', { hasText: 'Continue' }).click();
    expect((await response).status()).toBe(400);
    expect(await page.locator('.error').textContent()).toContain('同一浏览器');
    expect((await page.request.get(`${base}/api/v1/session`)).status()).toBe(401);
  });

  it('an organisation signs in and acts for its provider; changes need the CSRF token', async () => {
    await signInAt('training-centre', `${base}/auth/login?next=/api/v1/session`);
    await page.waitForURL(`${base}/api/v1/session`);
    const session = await (await page.request.get(`${base}/api/v1/session`)).json();
    expect(session).toMatchObject({ kind: 'organisation', orgCode, acting: [{ role: 'provider', name: '丽水市继续教育培训中心' }] });
    expect((await page.request.get(`${base}/api/v1/hours`)).status()).toBe(200);
    const body = entry('s-org-1', { personName: '张三' }, 31);
    const refused = await page.request.post(`${base}/api/v1/hours`, { data: body });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).code).toBe('AUTH.CSRF');
    const accepted = await page.request.post(`${base}/api/v1/hours`, { data: body, headers: { 'x-csrf-token': session.csrfToken } });
    expect(accepted.status()).toBe(201);
    // An applicant's routes stay closed to it.
    expect((await page.request.get(`${base}/api/v1/me/ledger`)).status()).toBe(403);
  });

  it('an employer and an authority sign in through the same issuer and reach the reviews, nothing else', async () => {
    for (const [account, role, name] of [
      ['hospital', 'employer', '丽水市中心医院'],
      ['hrss', 'authority', '丽水市人力资源和社会保障局'],
    ] as const) {
      await context.clearCookies(); // the issuer's too: sign in afresh as the next account
      await signInAt(account, `${base}/auth/login?next=/api/v1/session`);
      await page.waitForURL(`${base}/api/v1/session`);
      const session = await (await page.request.get(`${base}/api/v1/session`)).json();
      expect(session).toMatchObject({ kind: 'organisation', acting: [{ role, name }] });
      expect((await page.request.get(`${base}/api/v1/reviews`)).status()).toBe(200);
      expect((await page.request.get(`${base}/api/v1/hours`)).status()).toBe(403);
      expect((await page.request.get(`${base}/api/v1/me/ledger`)).status()).toBe(403);
    }
  });

  it('an organisation that is a provider and an employer acts as each where the route admits it', async () => {
    await signInAt('hospital-school', `${base}/auth/login?next=/api/v1/session`);
    await page.waitForURL(`${base}/api/v1/session`);
    const session = await (await page.request.get(`${base}/api/v1/session`)).json();
    expect(session.acting.map((a: { role: string }) => a.role).sort()).toEqual(['employer', 'provider']);
    expect((await page.request.get(`${base}/api/v1/hours`)).status()).toBe(200);
    expect((await page.request.get(`${base}/api/v1/reviews`)).status()).toBe(200);
    const posted = await page.request.post(`${base}/api/v1/hours`, { data: entry('s-both-1', { personName: '张三' }, 31), headers: { 'x-csrf-token': session.csrfToken } });
    expect(posted.status()).toBe(201);
  });

  it('`next` goes only to a path of this origin', async () => {
    await signInAt('zhangsan', `${base}/auth/login?next=${encodeURIComponent('//evil.example/x')}`);
    await page.waitForURL(`${base}/app/`);
  });
});

it('checkCharacter is the one GB 11643 uses', () => {
  expect(checkCharacter('11010519491231002')).toBe('X');
});

describe('sign-in in production', () => {
  it('offers no development sign-in, and no page hands out a key', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const test = await startTestApp('signinprod', {
      NODE_ENV: 'production',
      REDIS_URL: 'redis://localhost:6379/0',
      OIDC_ISSUER: '', // the suite above set one in this process's environment
      ADMIN_API_KEY: 'prod-admin-key-'.padEnd(40, 'x'),
      APPLICANT_JWT_SECRET: 'prod-jwt-secret-'.padEnd(40, 'y'),
      PII_KEY: 'prod-pii-key-'.padEnd(40, 'z'),
      METRICS_TOKEN: 'prod-metrics-token-0000',
      SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    try {
      expect((await test.http().get('/auth/options').expect(200)).body).toEqual({ sso: false, devSignIn: false });
      await test.http().post('/auth/dev-login').send({ idNumber: testIdNumber(1) }).expect(404);
      await test.http().get('/app/dev-config.json').expect(404);
      const login = await test.http().get('/auth/login?next=/app/').expect(404);
      expect(login.text).toContain('未配置统一身份认证');
    } finally {
      await test.close();
    }
  });
});
