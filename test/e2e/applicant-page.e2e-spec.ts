import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { DEVELOPMENT_DEFAULTS } from '../../src/config/environment.js';
import { launchChromium, withScreenshotOnFailure } from '../support/browser.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

/** The applicants' page in real Chromium, against the real service (development settings). */
describe('applicant page', () => {
  let test: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  const person = testIdNumber(90);
  const planner = testIdNumber(91);
  const thisYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
  const admin = bearer(DEVELOPMENT_DEFAULTS.ADMIN_API_KEY);

  beforeAll(async () => {
    browser = await launchChromium();
    test = await startTestApp('page', { ADMIN_API_KEY: '', NODE_ENV: 'development' });
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(test.app.getHttpServer().address() as { port: number }).port}`;
    const provider = (await test.http().post('/api/v1/admin/providers').set(admin).send({ code: 'page', name: '丽水市继续教育培训中心' }).expect(201)).body.apiKey;
    // 2023: general public 10 of the 12 Lishui asks; 2024: every minimum met.
    const entries = [
      entry('p-1', { category: 'professional', hours: 70, completedOn: '2023-04-01', courseTitle: '工程质量管理' }, 90),
      entry('p-2', { category: 'general_public', hours: 10, completedOn: '2023-05-01', courseTitle: '法治素养' }, 90),
      entry('p-3', { category: 'industry_public', hours: 10, completedOn: '2023-06-01', courseTitle: '行业规范' }, 90),
      entry('p-4', { category: 'professional', hours: 60, completedOn: '2024-04-01', courseTitle: '新技术应用' }, 90),
      entry('p-5', { category: 'general_public', hours: 12, completedOn: '2024-05-01', courseTitle: '职业道德' }, 90),
      entry('p-6', { category: 'industry_public', hours: 18, completedOn: '2024-06-01', courseTitle: '安全生产' }, 90),
      entry('p-7', { category: 'professional', hours: 5, completedOn: '2024-07-01', courseTitle: '重复登记的课程' }, 90),
    ];
    // Last year every minimum met; this year 30 professional hours so far.
    entries.push(
      entry('q-1', { category: 'professional', hours: 60, completedOn: `${thisYear - 1}-04-01` }, 91),
      entry('q-2', { category: 'general_public', hours: 12, completedOn: `${thisYear - 1}-05-01` }, 91),
      entry('q-3', { category: 'industry_public', hours: 18, completedOn: `${thisYear - 1}-06-01` }, 91),
      entry('q-4', { category: 'professional', hours: 30, completedOn: `${thisYear}-01-10` }, 91),
    );
    const created = (await test.http().post('/api/v1/hours/batch').set(bearer(provider)).send({ entries }).expect(201)).body.entries;
    await test.http().post(`/api/v1/hours/${created[6].id}/reversal`).set(bearer(provider)).send({ reason: '重复登记' }).expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
  });
  afterEach(() => page.close());

  it('signs in by a form POST (the token never in a URL), shows the bars against Lishui’s lines, and the missing hours in plain Chinese', async () => {
    const token = (await test.http().post('/api/v1/admin/applicant-tokens').set(admin).send({ idNumber: person }).expect(201)).body.token;
    // A title system read this person's ledger: the person sees it under 查询记录.
    const title = (await test.http().post('/api/v1/admin/clients').set(admin).send({ name: '丽水市职称评审系统', role: 'title_system' }).expect(201)).body.apiKey;
    await test.http().post('/api/v1/ledger-queries').set(bearer(title)).send({ idNumber: person, purpose: '2024年度中级职称资格审查' }).expect(200);
    await withScreenshotOnFailure(page, 'form-sign-in', async () => {
      // As an SSO bridge would: a form POST, answered by a redirect to the page (same browser context, same cookies).
      const signIn = await page.request.post(`${base}/app/sign-in`, { form: { token }, maxRedirects: 0 });
      expect(signIn.status()).toBe(303);
      expect(signIn.headers()['location']).toBe('/app/');
      await page.goto(`${base}/app/`);
      await page.locator('#ledger .year[data-year="2024"]').waitFor();
      expect(page.url()).toBe(`${base}/app/`);
      // The hand-off cookie is taken once: a second look finds nothing to hand over.
      expect((await page.request.post(`${base}/app/handoff`)).status()).toBe(204);
      await page.locator('#access-log table').waitFor();
      const accessLog = await page.locator('#access-log').textContent();
      expect(accessLog).toContain('丽水市职称评审系统');
      expect(accessLog).toContain('查询学时账本');
      expect(accessLog).toContain('2024年度中级职称资格审查');
      expect(await page.locator('#person').textContent()).toContain(`330102********${person.slice(14)}`);
      expect(await page.locator('#person').textContent()).not.toContain(person);

      const years = await page.locator('#ledger .year').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-year')));
      expect(years).toEqual(['2024', '2023']);
      await page.locator('#city').selectOption('lishui-2024');
      const year2023 = page.locator('.year[data-year="2023"]');
      expect(await year2023.locator('rect[data-bar]').count()).toBe(4);
      expect(await year2023.locator('line[data-requirement]').evaluateAll((lines) => lines.map((l) => l.getAttribute('data-requirement')))).toEqual([
        'professional',
        'generalPublic',
        'public',
      ]);
      expect(await year2023.locator('svg').getAttribute('aria-label')).toBe('2023年学时：专业科目70学时，一般公需10学时，行业公需10学时，公需合计20学时');
      const year2024 = await page.locator('.year[data-year="2024"]').textContent();
      expect(year2024).toContain('冲销：重复登记的课程（重复登记）');
      expect(year2024).toContain('重复登记的课程（已冲销）');
      expect(year2024).toContain('丽水市继续教育培训中心');

      await page.locator('#application-year').fill('2024');
      await page.locator('#track').selectOption('promotion');
      await page.locator('#title-level').selectOption('intermediate');
      await page.locator('#required-years').fill('2');
      await page.getByRole('button', { name: '核对' }).click();
      await page.locator('#decision .outcome').waitFor();
      const decision = await page.locator('#decision').textContent();
      expect(decision).toContain('不符合申报的继续教育学时要求');
      expect(await page.locator('#decision .summary').textContent()).toMatch(/^不符合：2023年一般公需科目还差2学时/);
      expect(decision).toContain('2023年一般公需科目还差 2 学时');
      expect(decision).toContain('2024年达标');
      expect(decision).toContain('丽人社函〔2024〕22号 五（一）规范继续教育');
    });
  });

  it('in development, signs in with an ID number as a session (the page says it is the development sign-in); a pasted token works too; a bad one is refused', async () => {
    await withScreenshotOnFailure(page, 'dev-sign-in', async () => {
      await page.goto(`${base}/app/`);
      expect(await page.locator('#dev-form h3').textContent()).toContain('仅开发环境提供');
      await page.getByLabel('身份证号').fill(person);
      await page.getByRole('button', { name: '用身份证号登录（开发环境）' }).click();
      await page.locator('#ledger .year').first().waitFor();
      expect(await page.evaluate(() => localStorage.length)).toBe(0); // a session cookie, nothing kept by the page
      expect((await page.request.get(`${base}/api/v1/session`)).status()).toBe(200);
      await page.getByRole('button', { name: '退出' }).click();
      await page.locator('#sign-in').waitFor();
      expect((await page.request.get(`${base}/api/v1/session`)).status()).toBe(401);

      await page.getByLabel('登录凭证（由统一身份认证提供）').fill('not-a-token');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.locator('#sign-in-error').filter({ hasText: '登录凭证无效或已过期' }).waitFor();

      const token = (await test.http().post('/api/v1/admin/applicant-tokens').set(admin).send({ idNumber: person }).expect(201)).body.token;
      await page.getByLabel('登录凭证（由统一身份认证提供）').fill(token);
      await page.getByLabel('在本设备上记住我').check();
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.locator('#ledger .year').first().waitFor();
      expect(await page.evaluate(() => localStorage.getItem('ce-ledger-applicant-token'))).toBe(token);
    });
  });

  it('is served with a strict Content-Security-Policy and works from the keyboard', async () => {
    const response = await test.http().get('/app/').expect(200);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    await withScreenshotOnFailure(page, 'keyboard', async () => {
      await page.goto(`${base}/app/`);
      await page.locator('#token-input').waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('token-input');
      const unlabeled = await page.locator('input, select, textarea').evaluateAll((fields) =>
        fields.filter((field) => !(field as HTMLInputElement).labels?.length).map((field) => field.id),
      );
      expect(unlabeled).toEqual([]);
    });
  });

  it.each([
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ])('shows what is still to earn this year (还需学时), remembers the question, and marks a short year (%s)', async (name, width, height) => {
    await page.setViewportSize({ width, height });
    const token = (await test.http().post('/api/v1/admin/applicant-tokens').set(admin).send({ idNumber: planner }).expect(201)).body.token;
    await withScreenshotOnFailure(page, `plan-${name}`, async () => {
      await page.request.post(`${base}/app/sign-in`, { form: { token }, maxRedirects: 0 });
      await page.goto(`${base}/app/`);
      await page.locator(`#ledger .year[data-year="${thisYear}"]`).waitFor();
      await page.locator('#city').selectOption('lishui-2024');
      // This year so far is short of Lishui's annual minimum, and says by how much in each category.
      expect(await page.locator(`#ledger .year[data-year="${thisYear}"]`).getAttribute('class')).toContain('short');
      expect(await page.locator(`#ledger .year[data-year="${thisYear}"] .gaps`).textContent()).toContain('专业科目还差 30 学时');
      await page.locator('#application-year').fill(String(thisYear));
      await page.locator('#track').selectOption('promotion');
      await page.locator('#title-level').selectOption('intermediate');
      await page.locator('#required-years').fill('2');
      await page.getByRole('button', { name: '还需学时' }).click();
      const row = page.locator(`#plan table.plan tr[data-year="${thisYear}"]`);
      await row.waitFor();
      expect((await row.locator('td').allTextContents()).map((text) => text.trim())).toEqual([`${thisYear}年底前`, '42', '12', '6', '60']);
      expect(await page.locator('#plan .summary').textContent()).toMatch(/^目前：不符合：/);
      await page.locator('#plan').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test/artifacts/applicant-plan-${name}.png`, fullPage: true });

      // The question is remembered in this browser, across sign-ins (the token itself is not: it was in memory only).
      await page.reload();
      await page.locator('#sign-in').waitFor();
      await page.request.post(`${base}/app/sign-in`, { form: { token }, maxRedirects: 0 });
      await page.goto(`${base}/app/`);
      await page.locator('#ledger .year').first().waitFor();
      expect(await page.locator('#application-year').inputValue()).toBe(String(thisYear));
      expect(await page.locator('#required-years').inputValue()).toBe('2');
      expect(await page.locator('#city').inputValue()).toBe('lishui-2024');
    });
  });

  it.each([
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ])('issues and downloads a 学时证明 (开具学时证明), and lists it with its validity (%s)', async (name, width, height) => {
    await page.setViewportSize({ width, height });
    await withScreenshotOnFailure(page, `certificate-${name}`, async () => {
      await page.goto(`${base}/app/`);
      await page.getByLabel('身份证号').fill(person);
      await page.getByRole('button', { name: '用身份证号登录（开发环境）' }).click();
      await page.locator('#certificate-section').waitFor();
      await page.locator('#certificate-from').fill('2023');
      await page.locator('#certificate-to').fill('2024');
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: '开具并下载 PDF' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('继续教育学时证明-2023-2024.pdf');
      const pdf = readFileSync((await file.path())!);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      await page.locator('#certificates tr[data-certificate]').first().waitFor();
      expect(await page.locator('#certificates').textContent()).toContain('有效');
      expect(await page.locator('#certificate-message').textContent()).toContain('已开具 2023—2024 年的学时证明');
      await page.locator('#certificate-section').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test/artifacts/applicant-certificate-${name}.png`, fullPage: true });
    });
  });
});
