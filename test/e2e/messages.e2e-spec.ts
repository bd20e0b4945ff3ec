import { ADMIN_KEY, bearer, createProvider, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';

const CJK = /[\u4e00-\u9fff]/;

/** Problem details speak Chinese by default and English to clients that prefer it. */
describe('messages in Chinese, English on request', () => {
  let test: TestApp;
  let provider: string;
  beforeAll(async () => {
    test = await startTestApp('messages');
    provider = (await createProvider(test, 'messages')).apiKey;
  });
  afterAll(() => test.close());

  const cases: [string, () => ReturnType<ReturnType<TestApp['http']>['get']>, number][] = [
    ['no credentials', () => test.http().get('/api/v1/hours'), 401],
    ['a role that may not call', () => test.http().get('/api/v1/me/ledger').set(bearer(provider)), 403],
    ['an unknown route', () => test.http().get('/api/v1/nothing').set(bearer(provider)), 404],
    ['malformed JSON', () => test.http().post('/api/v1/hours').set(bearer(provider)).set('content-type', 'application/json').send('{"a":') as never, 400],
    ['a body over the limit', () => test.http().post('/api/v1/hours').set(bearer(provider)).send({ ...entry('big'), courseTitle: 'x'.repeat(70_000) }) as never, 413],
    ['an invalid field', () => test.http().post('/api/v1/hours').set(bearer(provider)).send({ ...entry('bad'), hours: 0 }) as never, 422],
    ['an unknown rule set', () => test.http().get('/api/v1/rules/nowhere-1990').set(bearer(provider)), 404],
  ];

  it.each(cases)('%s: title, detail and field messages in Chinese', async (_label, send, status) => {
    const response = await send().expect(status);
    expect(response.headers['content-language']).toBe('zh-CN');
    expect(response.body.title).toMatch(CJK);
    expect(response.body.detail).toMatch(CJK);
    for (const error of response.body.errors ?? []) expect(error.message).toMatch(CJK);
  });

  it.each(cases)('%s: in English when Accept-Language prefers it', async (_label, send, status) => {
    const response = await send().set('accept-language', 'en-GB,en;q=0.9,zh-CN;q=0.4').expect(status);
    expect(response.headers['content-language']).toBe('en');
    expect(response.body.title).not.toMatch(CJK);
    expect(response.body.detail).not.toMatch(CJK);
    for (const error of response.body.errors ?? []) expect(error.message).not.toMatch(CJK);
  });

  it('names the field in Chinese: 身份证号, 学时, 完成日期', async () => {
    const response = await test
      .http()
      .post('/api/v1/hours/batch')
      .set(bearer(provider))
      .send({ entries: [{ ...entry('a'), idNumber: '110105194912310021' }, { ...entry('b'), hours: 1.25 }, { ...entry('c'), completedOn: '2999-01-01' }] })
      .expect(422);
    expect(response.body).toMatchObject({ title: '请求内容不符合要求', code: 'REQUEST.INVALID' });
    expect(response.body.errors).toEqual([
      { path: 'entries[0].idNumber', message: '身份证号校验码不正确（GB 11643）' },
      { path: 'entries[1].hours', message: '学时最多一位小数' },
      { path: 'entries[2].completedOn', message: '完成日期不能晚于今天' },
    ]);
  });

  it('class-validator bodies too: the constraint’s own bounds, in Chinese', async () => {
    const response = await test.http().post('/api/v1/admin/applicant-tokens').set(bearer(ADMIN_KEY)).send({ idNumber: 42, ttlSeconds: 5 }).expect(422);
    expect(response.body.errors).toEqual([
      { path: 'idNumber', message: '身份证号必须是字符串' },
      { path: 'ttlSeconds', message: '有效期（秒）不能小于 60' },
    ]);
  });
});
