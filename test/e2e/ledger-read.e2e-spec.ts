import { ADMIN_KEY, applicantToken, bearer, createProvider, createTitleSystem, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';

describe('reading a ledger', () => {
  let test: TestApp;
  let providerA: { apiKey: string };
  let titleSystem: string;
  const person = testIdNumber(50);
  const stranger = testIdNumber(51);

  beforeAll(async () => {
    test = await startTestApp('ledger');
    providerA = await createProvider(test, 'ledger-a', '丽水培训中心');
    const providerB = await createProvider(test, 'ledger-b', '衢州培训中心');
    titleSystem = await createTitleSystem(test);
    const post = (key: string, body: object) => test.http().post('/api/v1/hours').set(bearer(key)).send(body).expect(201);
    await post(providerA.apiKey, entry('l-1', { hours: 59.9, completedOn: '2023-03-01', courseTitle: '专业课一' }, 50));
    await post(providerB.apiKey, entry('l-2', { hours: 0.1, completedOn: '2023-09-01', courseTitle: '专业课二' }, 50));
    await post(providerA.apiKey, entry('l-3', { hours: 12, category: 'general_public', completedOn: '2023-05-01' }, 50));
    await post(providerB.apiKey, entry('l-4', { hours: 6, category: 'industry_public', completedOn: '2023-05-02' }, 50));
    const reversed = await post(providerA.apiKey, entry('l-5', { hours: 30, completedOn: '2024-01-10' }, 50));
    await test.http().post(`/api/v1/hours/${reversed.body.id}/reversal`).set(bearer(providerA.apiKey)).send({ reason: '重复登记' }).expect(201);
    await post(providerA.apiKey, entry('l-6', { hours: 8, completedOn: '2024-02-10' }, 50));
    await post(providerA.apiKey, entry('s-1', { hours: 99 }, 51));
  });
  afterAll(() => test.close());

  const expectLedgerOfPerson = (body: any) => {
    expect(body.person).toEqual({ idNumberMasked: `330102********${person.slice(14)}`, name: '学员50', nameChanges: [] });
    expect(body.years.map((y: { year: number }) => y.year)).toEqual([2024, 2023]);
    const [y2024, y2023] = body.years;
    expect(y2023).toMatchObject({ professional: 60, generalPublic: 12, industryPublic: 6, public: 18, total: 78 });
    expect(y2024).toMatchObject({ professional: 8, generalPublic: 0, industryPublic: 0, public: 0, total: 8 });
    expect(y2023.entries.map((e: { completedOn: string }) => e.completedOn)).toEqual(['2023-09-01', '2023-05-02', '2023-05-01', '2023-03-01']);
    expect(y2023.entries[0]).toMatchObject({ provider: { code: 'ledger-b', name: '衢州培训中心' }, courseTitle: '专业课二', category: 'professional', hours: 0.1 });
    const reversal = y2024.entries.find((e: { hours: number }) => e.hours === -30);
    const original = y2024.entries.find((e: { hours: number }) => e.hours === 30);
    expect(reversal).toMatchObject({ reversesEntryId: original.id, reversalReason: '重复登记' });
    expect(original.reversedByEntryId).toBe(reversal.id);
  };

  it('an applicant reads their own ledger: newest year first, 59.9 + 0.1 = 60 exactly, reversals linked', async () => {
    const token = await applicantToken(test, person);
    const response = await test.http().get('/api/v1/me/ledger').set(bearer(token)).expect(200);
    expectLedgerOfPerson(response.body);
    expect(JSON.stringify(response.body)).not.toContain('学员51');
  });

  it('an applicant with no hours yet sees an empty ledger, not an error', async () => {
    const nobody = testIdNumber(52);
    const response = await test.http().get('/api/v1/me/ledger').set(bearer(await applicantToken(test, nobody))).expect(200);
    expect(response.body).toEqual({ person: { idNumberMasked: `330102********${nobody.slice(14)}`, name: null, nameChanges: [] }, years: [] });
  });

  it('a title system (and an admin) query a ledger by ID number in the body', async () => {
    const response = await test.http().post('/api/v1/ledger-queries').set(bearer(titleSystem)).send({ idNumber: person }).expect(200);
    expectLedgerOfPerson(response.body);
    const asAdmin = await test.http().post('/api/v1/ledger-queries').set(bearer(ADMIN_KEY)).send({ idNumber: person }).expect(200);
    expect(asAdmin.body).toEqual(response.body);
  });

  it('shows as year totals exactly what year_totals holds (what eligibility and certificates read)', async () => {
    const response = await test.http().post('/api/v1/ledger-queries').set(bearer(titleSystem)).send({ idNumber: person }).expect(200);
    const stored: { year: number; professional: number; generalPublic: number; industryPublic: number }[] = await test.dataSource.query(
      `SELECT t.ledger_year AS year, t.professional_tenths AS professional, t.general_public_tenths AS generalPublic,
         t.industry_public_tenths AS industryPublic
       FROM year_totals t JOIN persons p ON p.id = t.person_id JOIN hour_entries e ON e.person_id = p.id AND e.id = ?
       ORDER BY t.ledger_year DESC`,
      [response.body.years[0].entries[0].id],
    );
    expect(response.body.years.map((y: Record<string, number>) => [y.year, y.professional * 10, y.generalPublic * 10, y.industryPublic * 10])).toEqual(
      stored.map((t) => [t.year, t.professional, t.generalPublic, t.industryPublic]),
    );
  });

  it('an unknown person is 404; an invalid ID number 422', async () => {
    const unknown = await test.http().post('/api/v1/ledger-queries').set(bearer(titleSystem)).send({ idNumber: testIdNumber(53) }).expect(404);
    expect(unknown.body.code).toBe('LEDGER.PERSON_NOT_FOUND');
    await test.http().post('/api/v1/ledger-queries').set(bearer(titleSystem)).send({ idNumber: '123' }).expect(422);
  });

  it('an applicant cannot read another person’s ledger by any route', async () => {
    const token = await applicantToken(test, stranger);
    const own = await test.http().get('/api/v1/me/ledger').set(bearer(token)).expect(200);
    expect(own.body.years).toHaveLength(1);
    expect(JSON.stringify(own.body)).not.toContain('学员50');
    await test.http().post('/api/v1/ledger-queries').set(bearer(token)).send({ idNumber: person }).expect(403);
  });
});
