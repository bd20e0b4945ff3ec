import { ADMIN_KEY, applicantToken, bearer, createProvider, createTitleSystem, startTestApp, type TestApp } from '../support/test-app.js';
import { testIdNumber } from '../support/id-numbers.js';
import { orgCode } from '../support/self-reports.js';

describe('administration and authentication', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp('admin');
  });
  afterAll(() => test.close());

  it('creates a provider with an API key that is shown once and stored only as a hash', async () => {
    const provider = await createProvider(test, 'prov-a', '甲培训机构');
    expect(provider).toMatchObject({ code: 'prov-a', name: '甲培训机构', apiKey: expect.stringMatching(/^cel_[A-Za-z0-9_-]{43}$/) });
    const rows = await test.dataSource.query('SELECT k.* FROM api_clients c JOIN api_keys k ON k.client_id = c.id WHERE c.provider_id = ?', [provider.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(provider.apiKey);
    expect(rows[0].key_hash).toHaveLength(32);
    expect(rows[0].prefix).toBe(provider.apiKey.slice(0, 12));
  });

  it('refuses a second provider with the same code (409) and writes nothing', async () => {
    const before = await test.dataSource.query('SELECT COUNT(*) AS n FROM api_clients');
    const response = await test.http().post('/api/v1/admin/providers').set(bearer(ADMIN_KEY)).send({ code: 'prov-a', name: 'x' }).expect(409);
    expect(response.body).toMatchObject({ status: 409, code: 'ADMIN.PROVIDER_CODE_TAKEN', errors: [{ path: 'code', message: '代码“prov-a”已被使用' }] });
    expect(await test.dataSource.query('SELECT COUNT(*) AS n FROM api_clients')).toEqual(before);
  });

  it('creates title-system clients; any other role is refused with 422', async () => {
    const created = await test.http().post('/api/v1/admin/clients').set(bearer(ADMIN_KEY)).send({ name: '评审系统', role: 'title_system' }).expect(201);
    expect(created.body).toMatchObject({ name: '评审系统', role: 'title_system', apiKey: expect.any(String) });
    const refused = await test.http().post('/api/v1/admin/clients').set(bearer(ADMIN_KEY)).send({ name: 'x', role: 'provider' }).expect(422);
    expect(refused.body.errors).toEqual([{ path: 'role', message: '角色必须是以下之一：title_system、admin、employer、authority' }]);
  });

  it('registers employers by a valid 统一社会信用代码, and employer and authority clients; bad or duplicate ones write nothing', async () => {
    const code = orgCode('91330100MA2B3C4D5');
    const employer = (await test.http().post('/api/v1/admin/employers').set(bearer(ADMIN_KEY)).send({ orgCode: code.toLowerCase(), name: '丽水市建筑设计研究院' }).expect(201)).body;
    expect(employer).toEqual({ id: expect.any(String), orgCode: code, name: '丽水市建筑设计研究院' });
    const before = await test.dataSource.query('SELECT (SELECT COUNT(*) FROM employers) AS e, (SELECT COUNT(*) FROM api_clients) AS c');
    const again = await test.http().post('/api/v1/admin/employers').set(bearer(ADMIN_KEY)).send({ orgCode: code, name: '另一家' }).expect(409);
    expect(again.body.code).toBe('ADMIN.EMPLOYER_TAKEN');
    const badCheck = await test.http().post('/api/v1/admin/employers').set(bearer(ADMIN_KEY)).send({ orgCode: `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`, name: 'x' }).expect(422);
    expect(badCheck.body.errors).toEqual([{ path: 'orgCode', message: '统一社会信用代码校验码不正确（GB 32100）' }]);
    const client = (body: object) => test.http().post('/api/v1/admin/clients').set(bearer(ADMIN_KEY)).send({ name: '人事处', ...body });
    expect((await client({ role: 'employer' }).expect(422)).body.errors[0].path).toBe('employerId');
    expect((await client({ role: 'employer', employerId: '00000000-0000-4000-8000-000000000000' }).expect(422)).body.errors).toEqual([
      { path: 'employerId', message: '没有这个用人单位，请先登记（POST /api/v1/admin/employers）' },
    ]);
    expect((await client({ role: 'title_system', employerId: employer.id }).expect(422)).body.errors).toEqual([{ path: 'employerId', message: '用人单位只适用于角色 employer' }]);
    const authorityCode = orgCode('11330000002482248');
    await client({ role: 'authority', orgCode: authorityCode }).expect(201);
    expect((await client({ role: 'authority', orgCode: authorityCode }).expect(409)).body.code).toBe('ADMIN.ORG_CODE_TAKEN');
    await client({ role: 'employer', employerId: employer.id }).expect(201).then((r) => expect(r.body).toMatchObject({ role: 'employer', employerId: employer.id }));
    const after = await test.dataSource.query('SELECT (SELECT COUNT(*) FROM employers) AS e, (SELECT COUNT(*) FROM api_clients) AS c');
    expect(Number(after[0].e)).toBe(Number(before[0].e));
    expect(Number(after[0].c)).toBe(Number(before[0].c) + 2);
    const audit = (await test.http().get('/api/v1/admin/audit').set(bearer(ADMIN_KEY)).expect(200)).body.items;
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'employer_created', actionName: '登记用人单位', target: `${code} 丽水市建筑设计研究院` })]));
  });

  it('mints applicant tokens for valid ID numbers only', async () => {
    const token = await applicantToken(test, testIdNumber(7), 600);
    expect(token.split('.')).toHaveLength(3);
    const refused = await test.http().post('/api/v1/admin/applicant-tokens').set(bearer(ADMIN_KEY)).send({ idNumber: '110105194912310021' }).expect(422);
    expect(refused.body.errors).toEqual([{ path: 'idNumber', message: '身份证号校验码不正确（GB 11643）' }]);
    await test.http().post('/api/v1/admin/applicant-tokens').set(bearer(ADMIN_KEY)).send({ idNumber: testIdNumber(7), ttlSeconds: 5 }).expect(422);
  });

  describe('who may call what', () => {
    let providerKey: string;
    let titleKey: string;
    let applicant: string;
    beforeAll(async () => {
      providerKey = (await createProvider(test, 'prov-roles')).apiKey;
      titleKey = await createTitleSystem(test);
      applicant = await applicantToken(test, testIdNumber(8));
    });

    it.each([
      ['no Authorization header', undefined],
      ['a Basic header', 'Basic YWRtaW46YWRtaW4='],
      ['an unknown API key', 'Bearer cel_unknownunknownunknownunknownunknownunknownun'],
      ['a forged applicant token', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMTAxMDUxOTQ5MTIzMTAwMlgiLCJleHAiOjk5OTk5OTk5OTl9.c2lnbmF0dXJl'],
    ])('401 with %s', async (_label, header) => {
      const request = test.http().post('/api/v1/admin/providers').send({ code: 'x-1', name: 'x' });
      if (header) request.set('authorization', header);
      const response = await request.expect(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
    });

    it('401 for a token signed with another secret, for an expired one, and for one whose subject is an ID number in clear', async () => {
      const { JwtService } = await import('@nestjs/jwt');
      const token = await applicantToken(test, testIdNumber(8));
      const subject = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub as string;
      const other = new JwtService({ secret: 'another-secret-another-secret-another-secret' });
      const forged = await other.signAsync({}, { subject, expiresIn: 600, issuer: 'ce-ledger' });
      await test.http().get('/api/v1/me/ledger').set(bearer(forged)).expect(401);
      const same = new JwtService({ secret: process.env.APPLICANT_JWT_SECRET });
      const expired = await same.signAsync({ exp: Math.floor(Date.now() / 1000) - 10 }, { subject, issuer: 'ce-ledger' });
      await test.http().get('/api/v1/me/ledger').set(bearer(expired)).expect(401);
      const clear = await same.signAsync({}, { subject: testIdNumber(8), expiresIn: 600, issuer: 'ce-ledger' });
      await test.http().get('/api/v1/me/ledger').set(bearer(clear)).expect(401);
      const valid = await same.signAsync({}, { subject, expiresIn: 600, issuer: 'ce-ledger' });
      await test.http().get('/api/v1/me/ledger').set(bearer(valid)).expect(200);
    });

    it.each([
      ['provider', 'POST', '/api/v1/admin/providers'],
      ['title_system', 'POST', '/api/v1/admin/clients'],
      ['applicant', 'POST', '/api/v1/admin/applicant-tokens'],
      ['title_system', 'POST', '/api/v1/hours'],
      ['applicant', 'POST', '/api/v1/hours/batch'],
      ['admin', 'GET', '/api/v1/hours'],
      ['provider', 'GET', '/api/v1/me/ledger'],
      ['title_system', 'GET', '/api/v1/me/ledger'],
      ['provider', 'POST', '/api/v1/ledger-queries'],
      ['applicant', 'POST', '/api/v1/ledger-queries'],
    ])('403 for a %s on %s %s', async (role, method, path) => {
      const key = { provider: providerKey, title_system: titleKey, applicant, admin: ADMIN_KEY }[role]!;
      const request = method === 'GET' ? test.http().get(path) : test.http().post(path).send({});
      const response = await request.set(bearer(key)).expect(403);
      expect(response.body).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
    });
  });
});
