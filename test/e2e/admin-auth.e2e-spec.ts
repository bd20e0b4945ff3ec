import { ADMIN_KEY, applicantToken, bearer, createProvider, createTitleSystem, startTestApp, type TestApp } from '../support/test-app.js';
import { testIdNumber } from '../support/id-numbers.js';

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
    expect(refused.body.errors).toEqual([{ path: 'role', message: '角色必须是以下之一：title_system、admin' }]);
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
