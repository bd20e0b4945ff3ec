import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEVELOPMENT_DEFAULTS } from '../../src/config/environment.js';
import { loadActivityTypes } from '../../src/self-reports/activity-types.js';
import { launchChromium, withScreenshotOnFailure } from '../support/browser.js';
import { testIdNumber } from '../support/id-numbers.js';
import { orgCode, pdf } from '../support/self-reports.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

const ADMIN = DEVELOPMENT_DEFAULTS.ADMIN_API_KEY;
const TYPE = loadActivityTypes().find((type) => type.categories.length === 1)!;

/** 申报学时 on /app/ and the reviewers' /review/ in Chromium: report with evidence, review with a preview, see it counted. */
describe('self-report pages', () => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let evidencePath: string;
  const employerCode = orgCode('91330100MA2B3C4D5');
  const authorityCode = orgCode('11330000002482248');
  const applicant = testIdNumber(801);

  beforeAll(async () => {
    browser = await launchChromium();
    test = await startTestApp('srpages', { ADMIN_API_KEY: '', NODE_ENV: 'development' });
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(test.app.getHttpServer().address() as { port: number }).port}`;
    await test.http().post('/api/v1/admin/employers').set(bearer(ADMIN)).send({ orgCode: employerCode, name: '丽水市建筑设计研究院有限公司' }).expect(201);
    await test.http().post('/api/v1/admin/clients').set(bearer(ADMIN)).send({ name: '丽水市人力资源和社会保障局', role: 'authority', orgCode: authorityCode }).expect(201);
    mkdirSync(join(process.cwd(), 'test', 'artifacts'), { recursive: true });
    evidencePath = join(process.cwd(), 'test', 'artifacts', '参会证明.pdf');
    writeFileSync(evidencePath, await pdf('Certificate of attendance: 8 hours'));
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  async function signInApplicant(page: Page) {
    await page.goto(`${base}/app/`);
    await page.getByLabel('身份证号').fill(applicant);
    await page.getByRole('button', { name: '用身份证号登录（开发环境）' }).click();
    await page.locator('#activities-section').waitFor();
  }

  async function signInReviewer(page: Page, code: string) {
    await page.goto(`${base}/review/`);
    await page.getByLabel('单位统一社会信用代码').fill(code);
    await page.getByRole('button', { name: '登录（开发环境）' }).click();
    await page.locator('#queue-section').waitFor();
  }

  it('an applicant reports an activity with evidence; the employer and the office review it with a preview; the page shows it counted and the news badge', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await withScreenshotOnFailure(page, 'self-report-applicant', async () => {
      await signInApplicant(page);
      await page.getByLabel('活动类型').selectOption(TYPE.code);
      expect(await page.locator('#activity-caps').textContent()).toContain(`每项最多 ${TYPE.maxHoursPerItem} 学时`);
      expect(await page.locator('#activity-category option').allTextContents()).toEqual(['专业科目']);
      await page.getByLabel('活动名称').fill('2025年浙江省土木建筑学会年会（大会报告）');
      await page.getByLabel('主办单位').fill('浙江省土木建筑学会');
      await page.getByLabel('完成日期').fill('2025-10-18');
      await page.getByLabel('学时数').fill('8');
      await page.getByLabel('用人单位统一社会信用代码（18 位）').fill(employerCode);
      // No provider hours yet and a development sign-in without a name: the page asks for it.
      await page.locator('#activity-name').fill('林晓');
      await page.locator('#activity-evidence').setInputFiles(evidencePath);
      await page.getByRole('button', { name: '提交申报' }).click();
      await page.locator('#activity-message', { hasText: '已提交' }).waitFor();
      await page.locator('#activities [data-activity]').first().waitFor();
      expect(await page.locator('#activities [data-activity]').first().textContent()).toContain('待用人单位审核');
      await page.screenshot({ path: 'test/artifacts/self-report-applicant-submitted.png', fullPage: true });

      // A bad report says why, in Chinese, and nothing is added.
      await page.getByLabel('活动类型').selectOption(TYPE.code);
      await page.getByLabel('活动名称').fill('超过上限的申报');
      await page.getByLabel('主办单位').fill('某学会');
      await page.getByLabel('完成日期').fill('2025-10-19');
      await page.getByLabel('学时数').fill(String(TYPE.maxHoursPerYear));
      await page.getByLabel('用人单位统一社会信用代码（18 位）').fill(employerCode);
      await page.locator('#activity-name').fill('林晓');
      await page.locator('#activity-evidence').setInputFiles(evidencePath);
      await page.getByRole('button', { name: '提交申报' }).click();
      await page.locator('#activity-message .error', { hasText: '每年最多' }).waitFor();
      expect(await page.locator('#activities [data-activity]').count()).toBe(1);
    });

    const reviewer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await withScreenshotOnFailure(reviewer, 'self-report-review', async () => {
      await signInReviewer(reviewer, employerCode);
      expect(await reviewer.locator('#who').textContent()).toContain('丽水市建筑设计研究院有限公司（用人单位）');
      await reviewer.locator('#queue [data-open]').first().click();
      await reviewer.locator('#preview iframe').waitFor();
      expect(await reviewer.locator('#detail').textContent()).toContain('林晓');
      await reviewer.waitForTimeout(500);
      await reviewer.screenshot({ path: 'test/artifacts/self-report-review-employer.png', fullPage: true });
      // Rejecting needs a comment: the page asks before anything is sent.
      const press = async (name: string) => {
        await reviewer.getByRole('button', { name, exact: true }).focus();
        await reviewer.keyboard.press('Enter');
      };
      await press('不通过');
      await reviewer.locator('#decision-message', { hasText: '请填写审核意见' }).waitFor();
      await reviewer.getByLabel('审核意见（不通过时必填）').fill('情况属实，同意。');
      await press('通过');
      await reviewer.locator('#decision-message', { hasText: '待人力社保部门审核' }).waitFor();
      await reviewer.locator('#queue', { hasText: '目前没有待您审核的申报' }).waitFor();

      await reviewer.getByRole('button', { name: '退出' }).click();
      await reviewer.locator('#sign-in').waitFor();
      await signInReviewer(reviewer, authorityCode);
      await reviewer.locator('#queue [data-open]').first().click();
      await reviewer.locator('#preview iframe').waitFor();
      await press('通过');
      await reviewer.locator('#decision-message', { hasText: '已通过，已计入学时' }).waitFor();
    });
    await reviewer.close();

    await withScreenshotOnFailure(page, 'self-report-applicant-after', async () => {
      await page.reload();
      await page.locator('#activities [data-activity]').first().waitFor();
      expect(await page.locator('#activities-badge').textContent()).toBe('1 条新进展');
      const item = await page.locator('#activities [data-activity]').first().textContent();
      expect(item).toContain('已通过，已计入学时');
      expect(item).toContain('意见：情况属实，同意。');
      // The ledger tells the self-reported hours apart.
      const row = page.locator('#ledger tr', { hasText: '2025年浙江省土木建筑学会年会' });
      expect(await row.textContent()).toContain('丽水市人力资源和社会保障局个人申报');
      await page.screenshot({ path: 'test/artifacts/self-report-applicant-approved.png', fullPage: true });
      await page.getByRole('button', { name: '我已看过这些进展' }).click();
      await page.locator('#activities-badge').waitFor({ state: 'hidden' });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('#activities-section').scrollIntoViewIfNeeded();
      await page.screenshot({ path: 'test/artifacts/self-report-applicant-phone.png', fullPage: true });
    });
    await page.close();
  });
});
