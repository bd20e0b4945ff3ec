import { ADMIN_KEY, applicantToken, bearer, countRows, createProvider, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';

/** A provider corrects by its own record id or by ID number, never by our internal ids; one name per ID number. */
describe('corrections without internal ids, and one name per ID number', () => {
  let test: TestApp;
  let provider: string;
  let otherProvider: string;
  beforeAll(async () => {
    test = await startTestApp('corrections');
    provider = (await createProvider(test, 'corr-a')).apiKey;
    otherProvider = (await createProvider(test, 'corr-b')).apiKey;
  });
  afterAll(() => test.close());

  const post = (key: string, body: object) => test.http().post('/api/v1/hours').set(bearer(key)).send(body);
  const byExternalId = (key: string, externalId: string) => test.http().get('/api/v1/hours').query({ externalId }).set(bearer(key)).expect(200);
  const reverse = (key: string, externalId: string, reason = '学员未完成考核') =>
    test.http().post('/api/v1/hours/reversal').set(bearer(key)).send({ externalId, reason });
  const totalTenths = async (person: number) => {
    const rows = await test.dataSource.query(
      'SELECT COALESCE(SUM(t.professional_tenths), 0) AS p FROM year_totals t JOIN persons p ON p.id = t.person_id WHERE p.id_number_masked = ?',
      [`330102********${testIdNumber(person).slice(14)}`],
    );
    return Number(rows[0].p);
  };

  it('finds an entry by its externalId, reverses it by externalId, and takes the externalId again afterwards', async () => {
    const first = (await post(provider, entry('c-1', { hours: 8 }, 1)).expect(201)).body;
    expect((await byExternalId(provider, 'c-1')).body).toEqual({ items: [first], nextCursor: null });
    expect((await byExternalId(otherProvider, 'c-1')).body.items).toEqual([]);

    const reversal = (await reverse(provider, 'c-1').expect(201)).body;
    expect(reversal).toMatchObject({ externalId: null, hours: -8, reversesEntryId: first.id, reversalReason: '学员未完成考核' });
    expect((await reverse(provider, 'c-1').expect(409)).body.code).toBe('LEDGER.ALREADY_REVERSED');
    expect(await totalTenths(1)).toBe(0);

    // Posted again, as a new entry; the reversed pair stays in the ledger.
    const second = (await post(provider, entry('c-1', { hours: 6 }, 1)).expect(201)).body;
    expect(second.id).not.toBe(first.id);
    expect((await post(provider, entry('c-1', { hours: 6 }, 1)).expect(200)).body.id).toBe(second.id);
    expect((await post(provider, entry('c-1', { hours: 7 }, 1)).expect(409)).body.code).toBe('LEDGER.ENTRY_CONFLICT');
    const history = (await byExternalId(provider, 'c-1')).body.items.map((e: { id: string }) => e.id);
    expect(history).toEqual([second.id, reversal.id, first.id]);
    expect(await totalTenths(1)).toBe(60);

    // The same again in a batch: the second reversal frees the id for a third posting.
    await reverse(provider, 'c-1').expect(201);
    const batch = await test.http().post('/api/v1/hours/batch').set(bearer(provider)).send({ entries: [entry('c-1', { hours: 5 }, 1)] }).expect(201);
    expect(batch.body).toMatchObject({ created: 1, replayed: 0 });
    expect(await totalTenths(1)).toBe(50);
  });

  it('concurrent postings of a freed externalId make one entry', async () => {
    await post(provider, entry('c-race', { hours: 2 }, 2)).expect(201);
    await reverse(provider, 'c-race').expect(201);
    const responses = await Promise.all(Array.from({ length: 8 }, () => post(provider, entry('c-race', { hours: 3 }, 2))));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await totalTenths(2)).toBe(30);
  });

  it('reversal by externalId: unknown or another provider’s → 404, bad fields → 422, nothing written', async () => {
    await post(otherProvider, entry('c-theirs', {}, 3)).expect(201);
    const before = await countRows(test, 'hour_entries');
    expect((await reverse(provider, 'c-theirs').expect(404)).body.code).toBe('LEDGER.EXTERNAL_ID_NOT_FOUND');
    await reverse(provider, 'never-posted').expect(404);
    const bad = await test.http().post('/api/v1/hours/reversal').set(bearer(provider)).send({ externalId: 'a b', reason: ' ' }).expect(422);
    expect(bad.body.errors).toEqual([
      { path: 'externalId', message: '记录编号须为 1–128 个字母、数字或 -_.:/' },
      { path: 'reason', message: '原因不能为空白' },
    ]);
    await test.http().get('/api/v1/hours').query({ externalId: 'a b' }).set(bearer(provider)).expect(422);
    expect(await countRows(test, 'hour_entries')).toBe(before);
  });

  it('looks up its own entries for a person by ID number (in the body), reversals included', async () => {
    await post(provider, entry('c-l1', { hours: 1 }, 4)).expect(201);
    await post(provider, entry('c-l2', { hours: 2, completedOn: '2023-03-01' }, 4)).expect(201);
    await post(otherProvider, entry('c-l3', { hours: 3 }, 4)).expect(201);
    await reverse(provider, 'c-l1').expect(201);
    const found = await test.http().post('/api/v1/hours/lookup').set(bearer(provider)).send({ idNumber: testIdNumber(4) }).expect(200);
    expect(found.body.items.map((e: { externalId: string | null; hours: number }) => [e.externalId, e.hours])).toEqual([
      [null, -1],
      ['c-l2', 2],
      ['c-l1', 1],
    ]);
    expect(JSON.stringify(found.body)).not.toContain(testIdNumber(4));
    const none = await test.http().post('/api/v1/hours/lookup').set(bearer(provider)).send({ idNumber: testIdNumber(999) }).expect(200);
    expect(none.body.items).toEqual([]);
    await test.http().post('/api/v1/hours/lookup').set(bearer(provider)).send({ idNumber: '123' }).expect(422);
  });

  describe('one name per ID number', () => {
    it('refuses an entry under another name (王五 for 李四’s number), single and in a batch, writing nothing', async () => {
      await post(provider, entry('n-1', { personName: '李四' }, 5)).expect(201);
      const before = await countRows(test, 'hour_entries');
      const single = await post(otherProvider, entry('n-2', { personName: '王五' }, 5)).expect(422);
      expect(single.body.errors).toEqual([{ path: 'personName', message: '姓名与身份证号已登记的姓名不一致' }]);
      const batch = await test
        .http()
        .post('/api/v1/hours/batch')
        .set(bearer(provider))
        .send({ entries: [entry('n-3', { personName: '李四' }, 5), entry('n-4', { personName: '王五' }, 5), entry('n-5', { personName: '甲' }, 6), entry('n-6', { personName: '乙' }, 6)] })
        .expect(422);
      expect(batch.body.errors).toEqual([
        { path: 'entries[1].personName', message: '姓名与身份证号已登记的姓名不一致' },
        { path: 'entries[3].personName', message: '姓名与身份证号已登记的姓名不一致' },
      ]);
      expect(await countRows(test, 'hour_entries')).toBe(before);
    });

    it('a batch refused for a name clash on a new person leaves nothing behind: the person can be recorded afterwards', async () => {
      // The refused batch inserted the person in its transaction and rolled back; nothing may remember that row.
      await test
        .http()
        .post('/api/v1/hours/batch')
        .set(bearer(provider))
        .send({ entries: [entry('n-new-1', { personName: '周九' }, 9), entry('n-new-2', { personName: '吴十' }, 9)] })
        .expect(422);
      await post(provider, entry('n-new-3', { personName: '周九' }, 9)).expect(201);
      expect((await test.http().post('/api/v1/admin/ledger-verifications').set(bearer(ADMIN_KEY)).expect(200)).body.ok).toBe(true);
    });

    it('after an administrator’s name change, the new name is the one on record, with its history on the ledger', async () => {
      await post(provider, entry('n-10', { personName: '赵六' }, 7)).expect(201);
      const change = await test
        .http()
        .post('/api/v1/admin/persons/name-changes')
        .set(bearer(ADMIN_KEY))
        .send({ idNumber: testIdNumber(7), newName: '赵陆', reason: '户籍姓名变更' })
        .expect(201);
      expect(change.body).toMatchObject({ idNumberMasked: `330102********${testIdNumber(7).slice(14)}`, oldName: '赵六', newName: '赵陆', reason: '户籍姓名变更' });
      await post(provider, entry('n-11', { personName: '赵六' }, 7)).expect(422);
      await post(provider, entry('n-11', { personName: '赵陆' }, 7)).expect(201);
      // The entry recorded under the old name replays as it was.
      await post(provider, entry('n-10', { personName: '赵六' }, 7)).expect(200);

      const ledger = await test.http().get('/api/v1/me/ledger').set(bearer(await applicantToken(test, testIdNumber(7)))).expect(200);
      expect(ledger.body.person).toEqual({
        idNumberMasked: `330102********${testIdNumber(7).slice(14)}`,
        name: '赵陆',
        nameChanges: [{ oldName: '赵六', newName: '赵陆', reason: '户籍姓名变更', changedAt: expect.any(String) }],
      });
    });

    it('a name change needs a known person, a different name, a reason, and an administrator', async () => {
      const send = (body: object, key = ADMIN_KEY) => test.http().post('/api/v1/admin/persons/name-changes').set(bearer(key)).send(body);
      await send({ idNumber: testIdNumber(998), newName: 'x', reason: 'y' }).expect(404);
      await post(provider, entry('n-20', { personName: '孙七' }, 8)).expect(201);
      await send({ idNumber: testIdNumber(8), newName: '孙七', reason: 'y' }).expect(422);
      const blank = await send({ idNumber: testIdNumber(8), newName: '孙柒', reason: '' }).expect(422);
      expect(blank.body.errors[0].path).toBe('reason');
      await send({ idNumber: testIdNumber(8), newName: '孙柒', reason: 'y' }, provider).expect(403);
      expect(await countRows(test, 'persons')).toBeGreaterThan(0);
      const [{ n }] = await test.dataSource.query('SELECT COUNT(*) AS n FROM person_name_changes');
      expect(Number(n)).toBe(1);
    });
  });
});
