import ExcelJS from 'exceljs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEVELOPMENT_DEFAULTS } from '../../src/config/environment.js';
import { launchChromium, withScreenshotOnFailure } from '../support/browser.js';
import { testIdNumber } from '../support/id-numbers.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';

/** The providers' page in Chromium: sign in, upload a real .xlsx, follow it, find and reverse an entry. */
describe('providers page', () => {
  let test: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let roster: string;

  beforeAll(async () => {
    browser = await launchChromium();
    test = await startTestApp('providerpage', { ADMIN_API_KEY: '', NODE_ENV: 'development' });
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(test.app.getHttpServer().address() as { port: number }).port}`;
    await test.http().post('/api/v1/admin/providers').set(bearer(DEVELOPMENT_DEFAULTS.ADMIN_API_KEY)).send({ code: 'lishui-train', name: '丽水市继续教育培训中心' }).expect(201);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('学时登记');
    sheet.addRow(['身份证号', '姓名', '科目类别', '学时', '完成日期', '课程名称']);
    for (let i = 0; i < 30; i++) sheet.addRow([testIdNumber(300 + i), `学员${i}`, i % 3 === 0 ? '一般公需' : '专业科目', 6, new Date(Date.UTC(2025, 2, (i % 27) + 1)), i === 5 ? '建筑节能新技术' : `专业课程${i}`]);
    sheet.addRow([testIdNumber(399).slice(0, 17) + '0', '错误', '专业科目', 6, '2025-03-01', '校验码错误']);
    mkdirSync(join(process.cwd(), 'test', 'artifacts'), { recursive: true });
    roster = join(process.cwd(), 'test', 'artifacts', '2025年学员名单.xlsx');
    writeFileSync(roster, Buffer.from(await book.xlsx.writeBuffer()));
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterEach(() => page.close());

  it.each([
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ])('signs in, uploads a real .xlsx with a progress bar, lists the import and the entries, searches and reverses (%s)', async (name, width, height) => {
    await page.setViewportSize({ width, height });
    await withScreenshotOnFailure(page, `provider-${name}`, async () => {
      await page.goto(`${base}/provider/`);
      await page.getByLabel('培训机构代码').fill('lishui-train');
      await page.getByRole('button', { name: '用机构代码登录（开发环境）' }).click();
      await page.locator('#upload-section').waitFor();
      expect(await page.locator('#who').textContent()).toContain('丽水市继续教育培训中心');
      expect(await page.locator('#template-link').getAttribute('href')).toBe('/api/v1/hours/import-template');

      await page.locator('#file-input').setInputFiles(roster);
      await page.locator('#progress-label', { hasText: /已完成|之前的处理结果/ }).waitFor();
      await page.locator('#imports tr[data-import]').first().waitFor();
      const imported = await page.locator('#imports tr[data-import]').first().textContent();
      expect(imported).toContain('2025年学员名单.xlsx');
      expect(imported).toContain('已完成');
      if (name === 'desktop') expect(await page.locator('#progress-label').textContent()).toContain('已记录 30，已存在 0，错误 1');

      // The list the finished import refreshed first, then the search (which the desktop run's reversal doubles on the phone run).
      await waitFor('the entries', async () => (await page.locator('#entries tr[data-entry]').count()) > 1);
      await page.locator('#search-course').fill('建筑节能');
      await page.getByRole('button', { name: '查询' }).click();
      await waitFor('the search', async () => (await page.locator('#entries tr[data-entry]').count()) === (name === 'desktop' ? 1 : 2));
      await page.screenshot({ path: `test/artifacts/provider-${name}.png`, fullPage: true });

      if (name === 'desktop') {
        await page.locator('#entries tr[data-entry] button', { hasText: '冲销' }).click();
        await page.getByLabel('冲销原因').fill('学员未参加考核');
        await page.getByRole('button', { name: '确认冲销' }).click();
        await page.locator('#entries tr.reversal').waitFor();
        expect(await page.locator('#entries').textContent()).toContain('冲销：学员未参加考核');
      }
    });
  });
});
