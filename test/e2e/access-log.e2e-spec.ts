import { ADMIN_KEY, applicantToken, bearer, createProvider, createTitleSystemClient, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';

/** Every read of a person's data by someone else is recorded, and the person can read who it was (PIPL art. 45). */
describe('access log', () => {
  let test: TestApp;
  let provider: string;
  let title: { apiKey: string };
  const person = testIdNumber(51);
  const criteria = { city: 'lishui', applicationYear: 2024, track: 'promotion', titleLevel: 'intermediate', requiredYears: 2 };

  beforeAll(async () => {
    test = await startTestApp('accesslog');
    provider = (await createProvider(test, 'access-a', '丽水市继续教育培训中心')).apiKey;
    title = await createTitleSystemClient(test, '丽水市职称评审系统');
    await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('a-1', {}, 51)).expect(201);
  });
  afterAll(() => test.close());

  const myLog = async () => (await test.http().get('/api/v1/me/access-log').set(bearer(await applicantToken(test, person))).expect(200)).body;

  it('records ledger queries, previews, plans, certifications and lookups, with who, what and why', async () => {
    await test.http().post('/api/v1/ledger-queries').set(bearer(title.apiKey)).send({ idNumber: person, purpose: '2024年度中级职称资格审查' }).expect(200);
    await test.http().post('/api/v1/eligibility/preview').set(bearer(title.apiKey)).send({ idNumber: person, ...criteria }).expect(200);
    await test.http().post('/api/v1/eligibility/plan').set(bearer(title.apiKey)).send({ idNumber: person, ...criteria, applicationYear: 2026 }).expect(200);
    const accepted = await test.http().post('/api/v1/certifications').set(bearer(title.apiKey)).send({ idNumber: person, ...criteria, purpose: '资格审查' }).expect(202);
    await test.http().post('/api/v1/hours/lookup').set(bearer(provider)).send({ idNumber: person }).expect(200);
    // The person's own reads are not someone else's.
    await test.http().get('/api/v1/me/ledger').set(bearer(await applicantToken(test, person))).expect(200);

    const log = await myLog();
    expect(log.items.map((item: { action: string }) => item.action)).toEqual(['provider_lookup', 'certification', 'eligibility_plan', 'eligibility_preview', 'ledger_query']);
    expect(log.items[4]).toEqual({
      id: expect.any(String),
      kind: 'access',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actor: { kind: 'title_system', kindName: '职称评审系统', name: '丽水市职称评审系统' },
      action: 'ledger_query',
      actionName: '查询学时账本',
      purpose: '2024年度中级职称资格审查',
    });
    expect(log.items[0].actor).toEqual({ kind: 'provider', kindName: '培训机构', name: '丽水市继续教育培训中心' });
    expect(log.items[1]).toMatchObject({ action: 'certification', purpose: '资格审查' });
    // The purpose is the log's, not part of the request that is judged.
    const stored = (await test.http().get(`/api/v1/certifications/${accepted.body.id}`).set(bearer(title.apiKey)).expect(200)).body;
    expect(stored.request).not.toHaveProperty('purpose');
    expect((await myLog()).items[0]).toMatchObject({ action: 'certification_read', actionName: '查看资格审查结果' });

    // Another person's log holds none of it.
    const other = await test.http().get('/api/v1/me/access-log').set(bearer(await applicantToken(test, testIdNumber(52)))).expect(200);
    expect(other.body).toEqual({ items: [], nextCursor: null });
  });

  it('pages newest first', async () => {
    const first = (await test.http().get('/api/v1/me/access-log?limit=2').set(bearer(await applicantToken(test, person))).expect(200)).body;
    expect(first.items).toHaveLength(2);
    const second = (await test.http().get(`/api/v1/me/access-log?limit=2&cursor=${first.nextCursor}`).set(bearer(await applicantToken(test, person))).expect(200)).body;
    expect(second.items[0].id < first.items[1].id).toBe(true);
  });

  it('the records cannot be changed; a read whose record cannot be written fails, unread', async () => {
    await expect(test.dataSource.query("UPDATE access_log SET purpose = 'x'")).rejects.toThrow(/append-only/);
    await expect(test.dataSource.query('DELETE FROM access_log')).rejects.toThrow(/append-only/);
    await test.dataSource.query('RENAME TABLE access_log TO access_log_away');
    try {
      const response = await test.http().post('/api/v1/ledger-queries').set(bearer(title.apiKey)).send({ idNumber: person });
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.body).not.toHaveProperty('years');
    } finally {
      await test.dataSource.query('RENAME TABLE access_log_away TO access_log');
    }
  });

  /**
   * The caller is held per request (AsyncLocalStorage), not per process: interleaved requests of two
   * title systems, each checked against the caller after a database read, see their own certification
   * and not the other's, and each read is recorded under the caller that made it.
   */
  it('answers and records each of many concurrent reads as its own caller', async () => {
    const other = await createTitleSystemClient(test, '温州市职称评审系统');
    const callers = [
      { apiKey: title.apiKey, name: '丽水市职称评审系统' },
      { apiKey: other.apiKey, name: '温州市职称评审系统' },
    ];
    const owned = await Promise.all(
      callers.map(async (caller) => (await test.http().post('/api/v1/certifications').set(bearer(caller.apiKey)).send({ idNumber: person, ...criteria }).expect(202)).body.id as string),
    );
    const reads = Array.from({ length: 40 }, (_, n) => ({ caller: n % 2, certification: Math.floor(n / 2) % 2 }));
    const statuses = await Promise.all(
      reads.map(async ({ caller, certification }) => (await test.http().get(`/api/v1/certifications/${owned[certification]}`).set(bearer(callers[caller].apiKey))).status),
    );
    expect(statuses).toEqual(reads.map(({ caller, certification }) => (caller === certification ? 200 : 404)));
    // The second title system is new: its records are these reads of its own certification, and only those.
    const [{ n }]: { n: number }[] = await test.dataSource.query(
      "SELECT COUNT(*) AS n FROM access_log WHERE action = 'certification_read' AND actor_name = '温州市职称评审系统'",
    );
    expect(Number(n)).toBe(10);
  });

  it('names the bootstrap key by an identity of its own in the administrative log', async () => {
    await test.http().post('/api/v1/admin/clients').set(bearer(ADMIN_KEY)).send({ name: '值班运维', role: 'admin' }).expect(201);
    const [row]: { actorId: string; actorKind: string }[] = await test.dataSource.query(
      "SELECT actor_id AS actorId, actor_kind AS actorKind FROM audit_log WHERE action = 'client_created' AND target = 'admin 值班运维'",
    );
    expect(row).toEqual({ actorId: 'admin:bootstrap', actorKind: 'admin' });
    // It has no client row, so no keys of its own to manage.
    await test.http().get('/api/v1/keys').set(bearer(ADMIN_KEY)).expect(403);
  });

  it('administrators read every administrative action and every access record', async () => {
    await test.http().post('/api/v1/admin/clients').set(bearer(ADMIN_KEY)).send({ name: '运维', role: 'admin' }).expect(201);
    const audit = (await test.http().get('/api/v1/admin/audit?limit=100').set(bearer(ADMIN_KEY)).expect(200)).body;
    const actions = audit.items.map((item: { action: string }) => item.action);
    expect(actions).toEqual(expect.arrayContaining(['client_created', 'provider_created', 'applicant_token_minted', 'ledger_query', 'certification']));
    expect(audit.items.find((item: { action: string }) => item.action === 'client_created')).toMatchObject({ kind: 'admin', actor: { name: '系统管理员（启动密钥）' }, target: 'admin 运维' });
    await test.http().get('/api/v1/admin/audit').set(bearer(title.apiKey)).expect(403);
    await test.http().get('/api/v1/me/access-log').set(bearer(title.apiKey)).expect(403);
  });
});
