import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Browser } from 'playwright-core';
import { launchChromium, withScreenshotOnFailure } from '../support/browser.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';
import { freePort } from '../support/oidc-issuer.js';
import { pdfText, renderFirstPage } from '../support/pdf.js';
import { applicantToken, bearer, createProvider, createTitleSystemClient, startTestApp, type TestApp } from '../support/test-app.js';
import { binaryBody, waitFor } from '../support/wait.js';

/** 学时证明: issued, printed in Chinese with a QR code, verified by anyone, superseded when the ledger changes. */
describe('hours certificates', () => {
  let test: TestApp;
  let base: string;
  let provider: string;
  let title: { apiKey: string };
  let browser: Browser;
  const person = testIdNumber(71);
  const thisYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    test = await startTestApp('hourscert', { PUBLIC_BASE_URL: base, ISSUER_NAME: '丽水市人力资源和社会保障局', VERIFY_RATE_LIMIT_PER_MINUTE: '1000' });
    await test.app.listen({ port, host: '127.0.0.1' });
    provider = (await createProvider(test, 'cert-a', '丽水市继续教育培训中心')).apiKey;
    title = await createTitleSystemClient(test, '丽水市职称评审系统');
    const entries = [
      entry('h-1', { personName: '王小明', category: 'professional', hours: 60, completedOn: '2023-03-01', courseTitle: '建设工程质量管理' }, 71),
      entry('h-2', { personName: '王小明', category: 'general_public', hours: 12, completedOn: '2023-04-01', courseTitle: '法治素养' }, 71),
      entry('h-3', { personName: '王小明', category: 'industry_public', hours: 18.5, completedOn: '2024-05-01', courseTitle: '安全生产' }, 71),
      entry('h-4', { personName: '王小明', category: 'professional', hours: 8, completedOn: '2024-06-01', courseTitle: '重复登记的课程' }, 71),
    ];
    const created = (await test.http().post('/api/v1/hours/batch').set(bearer(provider)).send({ entries }).expect(201)).body.entries;
    await test.http().post(`/api/v1/hours/${created[3].id}/reversal`).set(bearer(provider)).send({ reason: '重复登记' }).expect(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const token = () => applicantToken(test, person);

  it('an applicant issues one: years and totals as issued, a 128-bit code, a signed JWS', async () => {
    const issued = await test.http().post('/api/v1/me/hours-certificates').set(bearer(await token())).send({ fromYear: 2022, toYear: 2024 }).expect(201);
    expect(issued.body).toMatchObject({
      verifyCode: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      verifyUrl: `${base}/verify/${issued.body.verifyCode}`,
      fromYear: 2022,
      toYear: 2024,
      years: [
        { year: 2022, professional: 0, generalPublic: 0, industryPublic: 0, total: 0 },
        { year: 2023, professional: 60, generalPublic: 12, industryPublic: 0, total: 72 },
        { year: 2024, professional: 0, generalPublic: 0, industryPublic: 18.5, total: 18.5 },
      ],
    });
    const jwks = createLocalJWKSet((await test.http().get('/.well-known/jwks.json').expect(200)).body);
    const { payload } = await jwtVerify(issued.body.certificate, jwks);
    expect(payload).toMatchObject({ hoursCertificateId: issued.body.id, fromYear: 2022, toYear: 2024, years: issued.body.years, entriesDigest: { alg: 'SHA-256', entries: 5 } }); // four entries and one reversal
    expect(JSON.stringify(payload)).not.toContain(person);
  });

  it('prints an A4 PDF in Chinese whose text copies out, with a QR code of verifyUrl', async () => {
    const issued = (await test.http().post('/api/v1/me/hours-certificates').set(bearer(await token())).send({ fromYear: 2023, toYear: 2024 }).expect(201)).body;
    const response = await test
      .http()
      .get(`/api/v1/me/hours-certificates/${issued.id}/pdf`)
      .set(bearer(await token()))
      .buffer(true)
      .parse(binaryBody as never)
      .expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="hours-certificate-/);
    const pdf = response.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(300_000); // the font is embedded as a subset, not its 10 MB
    const text = await pdfText(pdf);
    for (const expected of ['继续教育学时证明', '王小明', `330102********${person.slice(14)}`, '2023—2024年', '建设工程质量管理', '丽水市继续教育培训中心', '【冲销】重复登记的课程', '重复登记的课程（已冲销）', '丽水市人力资源和社会保障局', issued.verifyCode, '18.5']) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(person);
    const page = await renderFirstPage(pdf, 'hours-certificate-page1.png');
    expect(page.qr).toBe(issued.verifyUrl);
  });

  it('anyone verifies it by its code (JSON and a page for phones): valid, then superseded once a covered year changes', async () => {
    const issued = (await test.http().post('/api/v1/me/hours-certificates').set(bearer(await token())).send({ fromYear: 2023, toYear: 2023 }).expect(201)).body;
    const before = await test.http().get(`/api/v1/verifications/${issued.verifyCode}`).expect(200);
    expect(before.body).toEqual({
      kind: 'hours_certificate',
      status: 'valid',
      issuedAt: issued.issuedAt,
      issuer: '丽水市人力资源和社会保障局',
      person: { nameMasked: '王**', idNumberMasked: `330102********${person.slice(14)}` },
      fromYear: 2023,
      toYear: 2023,
      years: [{ year: 2023, professional: 60, generalPublic: 12, industryPublic: 0, total: 72 }],
    });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await withScreenshotOnFailure(page, 'verify-page', async () => {
        await page.goto(issued.verifyUrl);
        await page.locator('#status').waitFor();
        expect(await page.locator('#status').textContent()).toContain('真实有效');
        expect(await page.locator('main').textContent()).toContain('王**');
        await page.screenshot({ path: 'test/artifacts/verify-valid-390.png', fullPage: true });

        // A year outside the certificate changes: it still holds. A covered year changes: superseded.
        await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('h-later-2025', { personName: '王小明', completedOn: '2025-02-01' }, 71)).expect(201);
        expect((await test.http().get(`/api/v1/verifications/${issued.verifyCode}`).expect(200)).body.status).toBe('valid');
        await test.http().post('/api/v1/hours/reversal').set(bearer(provider)).send({ externalId: 'h-2', reason: '更正' }).expect(201);
        const after = (await test.http().get(`/api/v1/verifications/${issued.verifyCode}`).expect(200)).body;
        expect(after).toMatchObject({ status: 'superseded', changedAt: expect.stringMatching(/^\d{4}-/) });
        await page.reload();
        await page.locator('#status').waitFor();
        expect(await page.locator('#status').textContent()).toContain('已有变动');
        await page.screenshot({ path: 'test/artifacts/verify-superseded-390.png', fullPage: true });
      });
    } finally {
      await page.close();
    }
    const list = (await test.http().get('/api/v1/me/hours-certificates').set(bearer(await token())).expect(200)).body;
    expect(list.find((c: { id: string }) => c.id === issued.id)).toMatchObject({ status: 'superseded' });
    await test.http().get('/api/v1/verifications/AAAAAAAAAAAAAAAAAAAAAA').expect(404);
    await test.http().get('/api/v1/verifications/not-a-code').expect(404);
  });

  it('only its applicant, or the title system that asked, gets a certificate; bad years are refused', async () => {
    const mine = (await test.http().post('/api/v1/me/hours-certificates').set(bearer(await token())).send({ fromYear: 2023, toYear: 2024 }).expect(201)).body;
    const other = await applicantToken(test, testIdNumber(72));
    await test.http().get(`/api/v1/me/hours-certificates/${mine.id}/pdf`).set(bearer(other)).expect(404);
    await test.http().get(`/api/v1/hours-certificates/${mine.id}/pdf`).set(bearer(title.apiKey)).expect(404);

    const theirs = (await test.http().post('/api/v1/hours-certificates').set(bearer(title.apiKey)).send({ idNumber: person, fromYear: 2023, toYear: 2024, purpose: '资格审查' }).expect(201)).body;
    await test.http().get(`/api/v1/hours-certificates/${theirs.id}/pdf`).set(bearer(title.apiKey)).expect(200);
    const otherTitle = await createTitleSystemClient(test, '另一评审系统');
    await test.http().get(`/api/v1/hours-certificates/${theirs.id}/pdf`).set(bearer(otherTitle.apiKey)).expect(404);
    await test.http().post('/api/v1/hours-certificates').set(bearer(title.apiKey)).send({ idNumber: testIdNumber(79), fromYear: 2023, toYear: 2024 }).expect(404);
    const log = (await test.http().get('/api/v1/me/access-log').set(bearer(await token())).expect(200)).body.items;
    expect(log[0]).toMatchObject({ action: 'hours_certificate', purpose: '资格审查', actor: { name: '丽水市职称评审系统' } });

    const send = (body: object) => test.http().post('/api/v1/me/hours-certificates').set(bearer(other)).send(body);
    expect((await send({ fromYear: 2024, toYear: 2023 }).expect(422)).body.errors).toEqual([{ path: 'fromYear', message: '起始年度不能晚于截止年度' }]);
    expect((await send({ fromYear: 2010, toYear: 2020 }).expect(422)).body.errors).toEqual([{ path: 'fromYear', message: '一份学时证明最多涵盖 10 个年度' }]);
    expect((await send({ fromYear: thisYear, toYear: thisYear + 1 }).expect(422)).body.errors).toEqual([{ path: 'toYear', message: `截止年度不能晚于今年（${thisYear}）` }]);
    await send({ fromYear: 2023, toYear: 2024, idNumber: person }).expect(422);
    await test.http().post('/api/v1/me/hours-certificates').set(bearer(title.apiKey)).send({ fromYear: 2023, toYear: 2024 }).expect(403);
  });

  it('a certification result prints too (资格审查结果), with its summary, checks and a QR code that verifies it', async () => {
    const { id } = (
      await test.http().post('/api/v1/certifications').set(bearer(title.apiKey)).send({ idNumber: person, city: 'lishui', applicationYear: 2024, track: 'promotion', titleLevel: 'intermediate', requiredYears: 2 }).expect(202)
    ).body;
    await waitFor('completed', async () => (await test.http().get(`/api/v1/certifications/${id}`).set(bearer(title.apiKey))).body.status === 'completed');
    const response = await test
      .http()
      .get(`/api/v1/certifications/${id}/pdf`)
      .set(bearer(title.apiKey))
      .buffer(true)
      .parse(binaryBody as never)
      .expect(200);
    const text = await pdfText(response.body);
    for (const expected of ['继续教育学时资格审查结果', '王小明', '结论：不符合', '不符合：', '达标年度数', '丽人社函〔2024〕22号']) expect(text).toContain(expected);
    const { qr } = await renderFirstPage(response.body, 'certification-result-page1.png');
    expect(qr).toMatch(new RegExp(`^${base}/verify/[A-Za-z0-9_-]{22}$`));
    const verified = (await test.http().get(`/api/v1/verifications/${qr!.split('/').pop()}`).expect(200)).body;
    expect(verified).toMatchObject({ kind: 'certification', status: 'valid', decision: 'ineligible', person: { nameMasked: '王**' } });
  });

  it('verification is rate-limited per client address, across processes', async () => {
    // Two more processes of one deployment (a Redis prefix of their own, so that this suite's earlier look-ups do not count).
    const env = { VERIFY_RATE_LIMIT_PER_MINUTE: '6', PUBLIC_BASE_URL: base, QUEUE_PREFIX: `ce_test_verifyrate_${process.pid}` };
    const second = await startTestApp('hourscert', env, test.databaseName);
    const third = await startTestApp('hourscert', env, test.databaseName);
    try {
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await second.http().get('/api/v1/verifications/AAAAAAAAAAAAAAAAAAAAAA')).status);
      for (let i = 0; i < 3; i++) statuses.push((await third.http().get('/verify/AAAAAAAAAAAAAAAAAAAAAA')).status);
      expect(statuses).toEqual([404, 404, 404, 404, 200, 200, 429]);
      const refused = await third.http().get('/api/v1/verifications/AAAAAAAAAAAAAAAAAAAAAA').expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await third.app.close();
      await second.app.close();
    }
  });
});
