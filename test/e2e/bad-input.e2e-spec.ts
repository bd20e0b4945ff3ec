import { bearer, countRows, createProvider, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { checkCharacter } from '../../src/common/id-number.js';

const withCheckDigit = (first17: string) => first17 + checkCharacter(first17);

/** Nothing a client can send yields a 5xx, and a refused request writes nothing. */
describe('bad input', () => {
  let test: TestApp;
  let provider: string;
  beforeAll(async () => {
    test = await startTestApp('badinput');
    provider = (await createProvider(test, 'bad-input')).apiKey;
  });
  afterAll(() => test.close());

  const snapshot = () => Promise.all(['hour_entries', 'persons', 'year_totals'].map((t) => countRows(test, t as 'persons')));
  let before: number[];
  beforeEach(async () => {
    before = await snapshot();
  });
  afterEach(async () => {
    expect(await snapshot()).toEqual(before);
  });

  const expectProblem = (body: Record<string, unknown>, status: number) => {
    expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code: expect.any(String) });
  };

  it('malformed JSON → 400 problem details', async () => {
    const response = await test.http().post('/api/v1/hours').set(bearer(provider)).set('content-type', 'application/json').send('{"externalId": "x",').expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expectProblem(response.body, 400);
  });

  it('a body over the limit → 413, on single and batch routes alike', async () => {
    const huge = { ...entry('huge'), courseTitle: 'x'.repeat(70 * 1024) };
    const single = await test.http().post('/api/v1/hours').set(bearer(provider)).send(huge).expect(413);
    expectProblem(single.body, 413);
    const batch = await test.http().post('/api/v1/hours/batch').set(bearer(provider)).set('content-type', 'application/json')
      .send(JSON.stringify({ entries: [{ ...entry('huge'), courseTitle: 'x'.repeat(9 * 1024 * 1024) }] })).expect(413);
    expectProblem(batch.body, 413);
  });

  it('a 5,000-entry batch of maximal entries fits the batch body limit', async () => {
    const maximal = Array.from({ length: 5000 }, (_, i) =>
      entry(`${'m'.repeat(120)}-${String(i).padStart(5, '0')}`, { personName: '名'.repeat(50), courseTitle: '课'.repeat(200), hours: 500, completedOn: '2000-01-01' }, i % 1000),
    );
    const body = JSON.stringify({ entries: maximal });
    expect(Buffer.byteLength(body)).toBeGreaterThan(4.5 * 1024 * 1024);
    // Valid in size; refused only for its content (one invalid entry), which proves the body was read.
    maximal[4999].hours = 0;
    const response = await test.http().post('/api/v1/hours/batch').set(bearer(provider)).set('content-type', 'application/json').send(JSON.stringify({ entries: maximal })).expect(422);
    expect(response.body.errors).toEqual([{ path: 'entries[4999].hours', message: '学时必须大于 0' }]);
  });

  it('an unsupported content type → 415', async () => {
    const response = await test.http().post('/api/v1/hours').set(bearer(provider)).set('content-type', 'text/xml').send('<entry/>');
    expect(response.status).toBe(415);
    expectProblem(response.body, 415);
  });

  it.each([
    ['no body', undefined],
    ['a JSON string', '"text"'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a number', '42'],
  ])('%s → 4xx problem details', async (_label, raw) => {
    const request = test.http().post('/api/v1/hours').set(bearer(provider));
    const response = raw === undefined ? await request : await request.set('content-type', 'application/json').send(raw);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expectProblem(response.body, response.status);
  });

  it.each([
    ['an unknown field', { surprise: true }, 'surprise', '不允许的字段 surprise'],
    ['hours as a string', { hours: '10' }, 'hours', '学时必须是数字'],
    ['hours of 0', { hours: 0 }, 'hours', '学时必须大于 0'],
    ['negative hours', { hours: -1 }, 'hours', '学时必须大于 0'],
    ['hours over 500', { hours: 500.1 }, 'hours', '学时不能超过 500'],
    ['hours with two decimals', { hours: 1.25 }, 'hours', '学时最多一位小数'],
    ['hours too small to keep (1e-8)', { hours: 1e-8 }, 'hours', '学时至少为 0.1'],
    ['hours of 0.05', { hours: 0.05 }, 'hours', '学时至少为 0.1'],
    ['a name of zero-width characters', { personName: '\u200B\u200C\u200D' }, 'personName', '姓名不能为空白'],
    ['a name of Hangul fillers and an ideographic space', { personName: '\u3164\u3000\u115F' }, 'personName', '姓名不能为空白'],
    ['a course title of a braille blank', { courseTitle: '\u2800' }, 'courseTitle', '课程名称不能为空白'],
    ['an ID number with region 999999', { idNumber: withCheckDigit('99999919900101001') }, 'idNumber', '身份证号前两位不是有效的省级行政区划代码（GB/T 2260）'],
    ['a date in the future', { completedOn: '2999-01-01' }, 'completedOn', '完成日期不能晚于今天'],
    ['a date before 1990', { completedOn: '1989-12-31' }, 'completedOn', '完成日期不能早于 1990-01-01'],
    ['an impossible date', { completedOn: '2023-02-29' }, 'completedOn', '完成日期须为真实日期，格式 YYYY-MM-DD'],
    ['a date with a time', { completedOn: '2023-02-01T00:00:00Z' }, 'completedOn', '完成日期须为真实日期，格式 YYYY-MM-DD'],
    ['a wrong check digit', { idNumber: '110105194912310021' }, 'idNumber', '身份证号校验码不正确（GB 11643）'],
    ['a 15-digit ID number', { idNumber: '110105491231002' }, 'idNumber', '身份证号须为 18 位：17 位数字加 1 位校验码（0–9 或 X）'],
    ['an unknown category', { category: 'sports' }, 'category', '科目类别必须是以下之一：professional、general_public、industry_public'],
    ['an empty person name', { personName: '' }, 'personName', '姓名不能为空白'],
    ['an overlong course title', { courseTitle: 'x'.repeat(201) }, 'courseTitle', '课程名称最多 200 个字符'],
    ['an externalId with a space', { externalId: 'a b' }, 'externalId', '记录编号须为 1–128 个字母、数字或 -_.:/'],
    ['a missing externalId', { externalId: undefined }, 'externalId', '记录编号为必填项'],
    ['an object for a string', { courseTitle: { $gt: '' } }, 'courseTitle', '课程名称必须是字符串'],
  ])('%s → 422 naming the field', async (_label, change, path, message) => {
    const response = await test.http().post('/api/v1/hours').set(bearer(provider)).send({ ...entry('bad-1'), ...change }).expect(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expectProblem(response.body, 422);
    expect(response.body.errors).toEqual([{ path, message }]);
  });

  it('JSON nested deeper than 32 levels → 400, never a 500', async () => {
    const deep = '{"a":'.repeat(4000) + '1' + '}'.repeat(4000);
    const response = await test.http().post('/api/v1/hours').set(bearer(provider)).set('content-type', 'application/json').send(deep).expect(400);
    expect(response.body).toMatchObject({ status: 400, code: 'REQUEST.TOO_DEEP', detail: 'JSON 嵌套超过 32 层。' });
    const nested33 = '['.repeat(33) + ']'.repeat(33);
    await test.http().post('/api/v1/hours/batch').set(bearer(provider)).set('content-type', 'application/json').send(`{"entries":${nested33}}`).expect(400);
    const nested10 = '['.repeat(10) + ']'.repeat(10);
    await test.http().post('/api/v1/hours/batch').set(bearer(provider)).set('content-type', 'application/json').send(`{"entries":${nested10}}`).expect(422);
  });

  it('more than MAX_HOURS_PER_PERSON_DAY (500) for one person on one day from one provider → 422 naming each entry of that day', async () => {
    const day = (i: number, hours: number) => entry(`day-${i}`, { hours, completedOn: '2024-09-01' }, 77);
    const response = await test.http().post('/api/v1/hours/batch').set(bearer(provider))
      .send({ entries: [day(1, 300), day(2, 200.1), entry('other-day', { hours: 500, completedOn: '2024-09-02' }, 77)] })
      .expect(422);
    expect(response.body.errors).toEqual([
      { path: 'entries[0].hours', message: '同一培训机构为同一人在同一完成日期登记的学时合计不能超过 500' },
      { path: 'entries[1].hours', message: '同一培训机构为同一人在同一完成日期登记的学时合计不能超过 500' },
    ]);
    // What the provider recorded before counts too (this test writes, so it restores the counts it checks).
    await test.http().post('/api/v1/hours').set(bearer(provider)).send(day(3, 400)).expect(201);
    const more = await test.http().post('/api/v1/hours').set(bearer(provider)).send(day(4, 100.1)).expect(422);
    expect(more.body.errors).toEqual([{ path: 'hours', message: '同一培训机构为同一人在同一完成日期登记的学时合计不能超过 500' }]);
    // The year's 400 hours and 150 new ones pass 500, but not on one day: recorded.
    await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('next-day', { hours: 150, completedOn: '2024-09-05' }, 77)).expect(201);
    before = await snapshot();
  });

  it('holds the daily bound under concurrent posts: twelve posts of 60 hours at once for one day → at most eight recorded', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => test.http().post('/api/v1/hours').set(bearer(provider)).send(entry(`race-${i}`, { hours: 60, completedOn: '2024-09-03' }, 78))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(8).fill(201), ...Array(4).fill(422)]);
    const [{ total }] = await test.dataSource.query("SELECT SUM(hours_tenths) AS total FROM hour_entries WHERE external_id LIKE 'race-%'");
    expect(Number(total)).toBe(4800);
    before = await snapshot();
  });

  it('an unknown route → 404 problem details', async () => {
    const response = await test.http().get('/api/v1/nothing-here').set(bearer(provider)).expect(404);
    expectProblem(response.body, 404);
  });

  it('a wrong method → 404 problem details, not 500', async () => {
    const response = await test.http().delete('/api/v1/hours').set(bearer(provider));
    expect([404, 405]).toContain(response.status);
    expectProblem(response.body, response.status);
  });
});
