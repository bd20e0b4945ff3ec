import { bearer, countRows, createProvider, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';

describe('recording hours', () => {
  let test: TestApp;
  let provider: string;
  let otherProvider: string;
  beforeAll(async () => {
    test = await startTestApp('hours');
    provider = (await createProvider(test, 'hours-a')).apiKey;
    otherProvider = (await createProvider(test, 'hours-b')).apiKey;
  });
  afterAll(() => test.close());

  const post = (key: string, body: object) => test.http().post('/api/v1/hours').set(bearer(key)).send(body);
  const postBatch = (key: string, entries: object[]) => test.http().post('/api/v1/hours/batch').set(bearer(key)).send({ entries });
  const yearTotals = (person: number) =>
    test.dataSource.query(
      `SELECT t.ledger_year AS year, t.professional_tenths AS p, t.general_public_tenths AS g, t.industry_public_tenths AS i, t.entry_count AS n
       FROM year_totals t JOIN persons p ON p.id = t.person_id WHERE p.id_number_masked = ? ORDER BY t.ledger_year`,
      [`${testIdNumber(person).slice(0, 6)}********${testIdNumber(person).slice(14)}`],
    );

  describe('one entry', () => {
    it('201 with the recorded entry, hours exact, ID number masked', async () => {
      const response = await post(provider, entry('one-1', { hours: 12.5, idNumber: testIdNumber(1).replace(/X$/, 'x') })).expect(201);
      expect(response.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        externalId: 'one-1',
        idNumberMasked: '330102********' + testIdNumber(1).slice(14),
        personName: '学员1',
        category: 'professional',
        hours: 12.5,
        completedOn: '2024-05-20',
        reversesEntryId: null,
        reversedByEntryId: null,
      });
      expect(await yearTotals(1)).toEqual([{ year: 2024, p: 125, g: 0, i: 0, n: 1 }]);
    });

    it('the same externalId with the same content again → 200 with the original, counted once', async () => {
      const first = await post(provider, entry('one-2', { hours: 1.5 })).expect(201);
      const again = await post(provider, entry('one-2', { hours: 1.5 })).expect(200);
      expect(again.body).toEqual(first.body);
      expect(await yearTotals(1)).toEqual([{ year: 2024, p: 140, g: 0, i: 0, n: 2 }]);
    });

    it('the same externalId with different content → 409, nothing written', async () => {
      const entries = await countRows(test, 'hour_entries');
      const response = await post(provider, entry('one-2', { hours: 2 })).expect(409);
      expect(response.body).toMatchObject({ status: 409, code: 'LEDGER.ENTRY_CONFLICT', errors: [{ path: 'externalId' }] });
      expect(await countRows(test, 'hour_entries')).toBe(entries);
    });

    it('externalIds are per provider: another provider may use the same one', async () => {
      await post(otherProvider, entry('one-2', { hours: 1.5 })).expect(201);
    });

    it('50 concurrent identical posts resolve to one entry, without a 5xx', async () => {
      const body = entry('concurrent-1', { hours: 3, category: 'general_public' }, 2);
      const responses = await Promise.all(Array.from({ length: 50 }, () => post(provider, body)));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(49);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      const [{ n }] = await test.dataSource.query("SELECT COUNT(*) AS n FROM hour_entries WHERE external_id = 'concurrent-1'");
      expect(Number(n)).toBe(1);
      expect(await yearTotals(2)).toEqual([{ year: 2024, p: 0, g: 30, i: 0, n: 1 }]);
    });

    it('50 concurrent different posts for one person all land, and the totals add up exactly', async () => {
      const bodies = Array.from({ length: 50 }, (_, i) => entry(`parallel-${i}`, { hours: 0.1, category: 'industry_public', completedOn: '2023-03-01' }, 3));
      const responses = await Promise.all(bodies.map((body) => post(provider, body)));
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
      expect(await yearTotals(3)).toEqual([{ year: 2023, p: 0, g: 0, i: 50, n: 50 }]);
    });
  });

  describe('batches', () => {
    it('201 with created and replayed counts and each entry by index', async () => {
      await post(provider, entry('batch-0', {}, 4)).expect(201);
      const response = await postBatch(provider, [
        entry('batch-0', {}, 4),
        entry('batch-1', { category: 'general_public', hours: 6 }, 4),
        entry('batch-2', { category: 'industry_public', hours: 6, completedOn: '2018-12-31' }, 4),
        entry('batch-1', { category: 'general_public', hours: 6 }, 4),
      ]).expect(201);
      expect(response.body.created).toBe(2);
      expect(response.body.replayed).toBe(2);
      expect(response.body.entries.map((e: { index: number; status: string }) => [e.index, e.status])).toEqual([
        [0, 'replayed'],
        [1, 'created'],
        [2, 'created'],
        [3, 'replayed'],
      ]);
      expect(response.body.entries[3].id).toBe(response.body.entries[1].id);
      expect(await yearTotals(4)).toEqual([
        { year: 2018, p: 0, g: 0, i: 60, n: 1 },
        { year: 2024, p: 100, g: 60, i: 0, n: 2 },
      ]);
    });

    it('one bad entry → 422 naming it by index, and nothing is written', async () => {
      const before = await Promise.all([countRows(test, 'hour_entries'), countRows(test, 'persons'), countRows(test, 'year_totals')]);
      const response = await postBatch(provider, [
        entry('bad-0', {}, 5),
        entry('bad-1', { hours: 1.25 }, 5),
        entry('bad-2', {}, 6),
        entry('bad-3', { completedOn: '2024-02-30' }, 6),
      ]).expect(422);
      expect(response.body).toMatchObject({ status: 422, code: 'REQUEST.INVALID' });
      expect(response.body.errors).toEqual([
        { path: 'entries[1].hours', message: '学时最多一位小数' },
        { path: 'entries[3].completedOn', message: '完成日期须为真实日期，格式 YYYY-MM-DD' },
      ]);
      expect(await Promise.all([countRows(test, 'hour_entries'), countRows(test, 'persons'), countRows(test, 'year_totals')])).toEqual(before);
    });

    it('an entry that conflicts with an earlier one → 422 naming it, and nothing is written', async () => {
      const before = await countRows(test, 'hour_entries');
      const response = await postBatch(provider, [entry('conflict-new', {}, 7), entry('one-2', { hours: 99 })]).expect(422);
      expect(response.body.errors).toEqual([{ path: 'entries[1].externalId', message: expect.stringContaining('已以不同内容记录过') }]);
      expect(await countRows(test, 'hour_entries')).toBe(before);
    });

    it('the same externalId twice in one batch with different content → 422 naming the second', async () => {
      const response = await postBatch(provider, [entry('twice', { hours: 1 }, 7), entry('twice', { hours: 2 }, 7)]).expect(422);
      expect(response.body.errors).toEqual([{ path: 'entries[1].externalId', message: expect.any(String) }]);
    });

    it('takes 5,000 entries in one batch, and refuses 5,001', async () => {
      const entries = Array.from({ length: 5000 }, (_, i) => entry(`big-${i}`, { hours: 1 }, 100 + (i % 500)));
      const response = await postBatch(provider, entries).expect(201);
      expect(response.body.created).toBe(5000);
      const [{ n }] = await test.dataSource.query("SELECT COUNT(*) AS n FROM hour_entries WHERE external_id LIKE 'big-%'");
      expect(Number(n)).toBe(5000);
      const [{ total }] = await test.dataSource.query('SELECT SUM(professional_tenths) AS total FROM year_totals t JOIN persons p ON p.id = t.person_id');
      expect(Number(total)).toBeGreaterThanOrEqual(50000);
      const refused = await postBatch(provider, [...entries, entry('big-5000')]).expect(422);
      expect(refused.body.errors).toEqual([{ path: 'entries', message: '条目最多 5000 项' }]);
    });

    it('an empty batch is refused', async () => {
      const response = await postBatch(provider, []).expect(422);
      expect(response.body.errors[0].path).toBe('entries');
    });

    it('concurrent overlapping batches resolve every externalId to one entry', async () => {
      const a = Array.from({ length: 200 }, (_, i) => entry(`overlap-${i}`, { hours: 1 }, 10 + (i % 20)));
      const b = Array.from({ length: 200 }, (_, i) => entry(`overlap-${i + 100}`, { hours: 1 }, 10 + ((i + 100) % 20)));
      const [ra, rb] = await Promise.all([postBatch(provider, a), postBatch(provider, b)]);
      expect([ra.status, rb.status]).toEqual([201, 201]);
      const [{ n }] = await test.dataSource.query("SELECT COUNT(*) AS n FROM hour_entries WHERE external_id LIKE 'overlap-%'");
      expect(Number(n)).toBe(300);
      expect(ra.body.created + rb.body.created).toBe(300);
    });
  });

  describe('reversals', () => {
    let original: { id: string };
    beforeAll(async () => {
      original = (await post(provider, entry('rev-1', { hours: 20, completedOn: '2022-06-01' }, 30)).expect(201)).body;
    });

    it('201 with the reversing entry: negative hours pointing at the original; totals drop', async () => {
      const response = await test.http().post(`/api/v1/hours/${original.id}/reversal`).set(bearer(provider)).send({ reason: '课程未完成' }).expect(201);
      expect(response.body).toMatchObject({
        externalId: null,
        hours: -20,
        completedOn: '2022-06-01',
        reversesEntryId: original.id,
        reversalReason: '课程未完成',
      });
      expect(await yearTotals(30)).toEqual([{ year: 2022, p: 0, g: 0, i: 0, n: 2 }]);
      const [stored] = await test.dataSource.query('SELECT hours_tenths FROM hour_entries WHERE id = ?', [original.id]);
      expect(stored.hours_tenths).toBe(200);
    });

    it('a second reversal is 409', async () => {
      const response = await test.http().post(`/api/v1/hours/${original.id}/reversal`).set(bearer(provider)).send({ reason: 'again' }).expect(409);
      expect(response.body.code).toBe('LEDGER.ALREADY_REVERSED');
    });

    it('concurrent reversals of one entry: one 201, the rest 409', async () => {
      const target = (await post(provider, entry('rev-race', {}, 31)).expect(201)).body;
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => test.http().post(`/api/v1/hours/${target.id}/reversal`).set(bearer(provider)).send({ reason: 'x' })),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
      expect(await yearTotals(31)).toEqual([{ year: 2024, p: 0, g: 0, i: 0, n: 2 }]);
    });

    it('a reversing entry cannot be reversed (409)', async () => {
      const [reversal] = await test.dataSource.query('SELECT id FROM hour_entries WHERE reverses_entry_id = ?', [original.id]);
      await test.http().post(`/api/v1/hours/${reversal.id}/reversal`).set(bearer(provider)).send({ reason: 'x' }).expect(409);
    });

    it("another provider's entry is 404, as is an unknown or malformed id; nothing is written", async () => {
      const target = (await post(provider, entry('rev-other', {}, 32)).expect(201)).body;
      const before = await countRows(test, 'hour_entries');
      const response = await test.http().post(`/api/v1/hours/${target.id}/reversal`).set(bearer(otherProvider)).send({ reason: 'x' }).expect(404);
      expect(response.body.code).toBe('LEDGER.ENTRY_NOT_FOUND');
      await test.http().post('/api/v1/hours/01a20129-0000-7000-8000-000000000000/reversal').set(bearer(provider)).send({ reason: 'x' }).expect(404);
      await test.http().post('/api/v1/hours/not-an-id/reversal').set(bearer(provider)).send({ reason: 'x' }).expect(404);
      expect(await countRows(test, 'hour_entries')).toBe(before);
    });

    it('a reversal needs a reason', async () => {
      const target = (await post(provider, entry('rev-reason', {}, 33)).expect(201)).body;
      const response = await test.http().post(`/api/v1/hours/${target.id}/reversal`).set(bearer(provider)).send({ reason: '  ' }).expect(422);
      expect(response.body.errors).toEqual([{ path: 'reason', message: '原因不能为空白' }]);
    });
  });

  describe("listing the provider's own entries", () => {
    it('newest first, cursor-paginated, only its own', async () => {
      const fresh = (await createProvider(test, 'hours-list')).apiKey;
      for (let i = 0; i < 5; i++) await post(fresh, entry(`list-${i}`, {}, 40)).expect(201);
      const first = await test.http().get('/api/v1/hours?limit=2').set(bearer(fresh)).expect(200);
      expect(first.body.items.map((e: { externalId: string }) => e.externalId)).toEqual(['list-4', 'list-3']);
      const second = await test.http().get(`/api/v1/hours?limit=2&cursor=${first.body.nextCursor}`).set(bearer(fresh)).expect(200);
      expect(second.body.items.map((e: { externalId: string }) => e.externalId)).toEqual(['list-2', 'list-1']);
      const third = await test.http().get(`/api/v1/hours?limit=2&cursor=${second.body.nextCursor}`).set(bearer(fresh)).expect(200);
      expect(third.body.items.map((e: { externalId: string }) => e.externalId)).toEqual(['list-0']);
      expect(third.body.nextCursor).toBeNull();
    });

    it('shows a reversed entry with a link to its reversal', async () => {
      const page = await test.http().get('/api/v1/hours?limit=500').set(bearer(provider)).expect(200);
      const reversed = page.body.items.find((e: { externalId: string }) => e.externalId === 'rev-1');
      const reversal = page.body.items.find((e: { reversesEntryId: string }) => e.reversesEntryId === reversed.id);
      expect(reversed.reversedByEntryId).toBe(reversal.id);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['unknown=1', 'unknown'],
    ])('refuses ?%s with 422 naming %s', async (query, path) => {
      const response = await test.http().get(`/api/v1/hours?${query}`).set(bearer(provider)).expect(422);
      expect(response.body.errors[0].path).toBe(path);
    });
  });
});
