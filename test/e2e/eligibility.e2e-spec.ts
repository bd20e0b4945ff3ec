import { ADMIN_KEY, applicantToken, bearer, createProvider, createTitleSystem, startTestApp, type TestApp } from '../support/test-app.js';
import { entry, type EntryBody } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';

describe('eligibility and rules over HTTP', () => {
  let test: TestApp;
  let provider: string;
  let titleSystem: string;
  const person = testIdNumber(60);
  let sequence = 0;

  /** A year that meets Lishui's annual minimum exactly: 60 professional + 12 general + 18 industry = 90. */
  const compliantYear = (year: number, who = 60): Partial<EntryBody>[] =>
    (
      [
        { category: 'professional', hours: 60, completedOn: `${year}-03-01` },
        { category: 'general_public', hours: 12, completedOn: `${year}-04-01` },
        { category: 'industry_public', hours: 18, completedOn: `${year}-05-01` },
      ] as const
    ).map((e) => ({ ...e, idNumber: testIdNumber(who) }));

  const record = async (entries: Partial<EntryBody>[], who = 60) => {
    const response = await test
      .http()
      .post('/api/v1/hours/batch')
      .set(bearer(provider))
      .send({ entries: entries.map((e) => entry(`elig-${++sequence}`, e, who)) })
      .expect(201);
    return response.body.entries.map((e: { id: string }) => e.id) as string[];
  };

  const lishuiRequest = { idNumber: person, city: 'lishui', applicationYear: 2024, track: 'promotion', titleLevel: 'intermediate', requiredYears: 2 };
  const preview = (body: object, key = titleSystem) => test.http().post('/api/v1/eligibility/preview').set(bearer(key)).send(body);

  beforeAll(async () => {
    test = await startTestApp('eligibility');
    provider = (await createProvider(test, 'elig')).apiKey;
    titleSystem = await createTitleSystem(test);
    await record([...compliantYear(2023), ...compliantYear(2024)]);
  });
  afterAll(() => test.close());

  it('a title system previews an eligible Lishui promotion, with checks, citation and notes', async () => {
    const response = await preview(lishuiRequest).expect(200);
    expect(response.body).toMatchObject({
      decision: 'eligible',
      ruleSet: { id: 'lishui-2024', city: 'lishui', effectiveFrom: 2024, citation: { document: '丽人社函〔2024〕22号', section: '五（一）规范继续教育' } },
      checks: [
        { code: 'YEAR_COMPLIANT', year: 2023, passed: true, required: { total: 90, professional: 60, public: 18, generalPublic: 12 }, actual: { total: 90 } },
        { code: 'YEAR_COMPLIANT', year: 2024, passed: true },
        { code: 'COMPLIANT_YEAR_COUNT', passed: true, fromYear: 2023, toYear: 2024, required: { years: 2 }, actual: { years: 2 } },
      ],
      notes: [expect.stringContaining('省里另有规定')],
    });
    const asAdmin = await preview(lishuiRequest, ADMIN_KEY).expect(200);
    expect(asAdmin.body).toEqual(response.body);
  });

  it('a reversal turns the decision, and says exactly what is missing', async () => {
    expect((await preview(lishuiRequest).expect(200)).body.decision).toBe('eligible');
    const [general] = await test.dataSource.query(
      "SELECT id FROM hour_entries WHERE category = 'general_public' AND ledger_year = 2024 AND hours_tenths = 120",
    );
    await test.http().post(`/api/v1/hours/${general.id}/reversal`).set(bearer(provider)).send({ reason: '课程作废' }).expect(201);
    const after = await preview(lishuiRequest).expect(200);
    expect(after.body.decision).toBe('ineligible');
    expect(after.body.checks[1]).toMatchObject({
      code: 'YEAR_COMPLIANT',
      year: 2024,
      passed: false,
      actual: { total: 78, professional: 60, public: 18, generalPublic: 0 },
      shortfall: { total: 12, professional: 0, public: 0, generalPublic: 12 },
    });
    await record([{ category: 'general_public', hours: 12, completedOn: '2024-07-01' }]);
    expect((await preview(lishuiRequest).expect(200)).body.decision).toBe('eligible');
  });

  it('59.9 + 0.1 professional hours posted as two entries make exactly 60', async () => {
    const who = 61;
    await record([...compliantYear(2019, who), ...compliantYear(2020, who), ...compliantYear(2021, who)], who);
    await record(
      [
        { category: 'professional', hours: 59.9, completedOn: '2019-09-01', idNumber: testIdNumber(who) },
        { category: 'professional', hours: 0.1, completedOn: '2019-10-01', idNumber: testIdNumber(who) },
        { category: 'professional', hours: 60, completedOn: '2020-09-01', idNumber: testIdNumber(who) },
        { category: 'professional', hours: 60, completedOn: '2021-09-01', idNumber: testIdNumber(who) },
      ],
      who,
    );
    const response = await preview({
      idNumber: testIdNumber(who),
      city: 'quzhou',
      applicationYear: 2021,
      track: 'initial',
      titleLevel: 'intermediate',
      education: 'master',
      series: 'engineering',
    }).expect(200);
    expect(response.body.decision).toBe('eligible');
    expect(response.body.checks[1]).toMatchObject({ code: 'INITIAL_DETERMINATION_HOURS', actual: { total: 450, professional: 360, public: 90 } });
  });

  it('Wenzhou and an exam series in Quzhou', async () => {
    const wenzhou = await preview({ ...lishuiRequest, city: 'wenzhou', applicationYear: 2024, requiredYears: 3 }).expect(200);
    expect(wenzhou.body.ruleSet.id).toBe('wenzhou-2019');
    expect(wenzhou.body.decision).toBe('ineligible');
    expect(wenzhou.body.checks.map((c: { year: number; passed: boolean }) => [c.year, c.passed])).toEqual([[2022, false], [2023, true], [2024, true]]);
    const exam = await preview({ ...lishuiRequest, city: 'quzhou', track: 'initial', titleLevel: 'junior', education: 'bachelor', series: 'accounting' }).expect(200);
    expect(exam.body).toMatchObject({ decision: 'ineligible', checks: [{ code: 'EXAM_SERIES', passed: false }] });
  });

  it('a person with no hours gets a decision, not a 404', async () => {
    const response = await preview({ ...lishuiRequest, idNumber: testIdNumber(69) }).expect(200);
    expect(response.body.decision).toBe('ineligible');
  });

  it('an applicant asks about their own ledger; the ID number comes from the token only', async () => {
    const token = await applicantToken(test, person);
    const { idNumber: _omit, ...criteria } = lishuiRequest;
    const mine = await test.http().post('/api/v1/me/eligibility').set(bearer(token)).send(criteria).expect(200);
    expect(mine.body.decision).toBe('eligible');
    const other = await applicantToken(test, testIdNumber(69));
    const theirs = await test.http().post('/api/v1/me/eligibility').set(bearer(other)).send(criteria).expect(200);
    expect(theirs.body.decision).toBe('ineligible');
    const refused = await test.http().post('/api/v1/me/eligibility').set(bearer(other)).send({ ...criteria, idNumber: person }).expect(422);
    expect(refused.body.errors).toEqual([{ path: 'idNumber', message: '不允许的字段 idNumber' }]);
  });

  it.each([
    ['an unknown city', { city: 'hangzhou' }, 'city', 'unknown city "hangzhou"; rule sets exist for lishui, quzhou, wenzhou'],
    ['a year before the city’s first notice', { applicationYear: 2023 }, 'applicationYear', 'No rule set of lishui is in force for application year 2023: its first notice applies from 2024.'],
    ['an unknown track', { track: 'transfer' }, 'track', 'track must be one of the following values: promotion, initial'],
    ['an unknown level', { titleLevel: 'master' }, 'titleLevel', 'titleLevel must be one of the following values: junior, intermediate, associate_senior, senior'],
    ['an unknown education', { education: 'phd' }, 'education', 'education must be one of the following values: secondary, college, bachelor, master, doctorate'],
    ['requiredYears 0', { requiredYears: 0 }, 'requiredYears', 'requiredYears must not be less than 1'],
    ['requiredYears 21', { requiredYears: 21 }, 'requiredYears', 'requiredYears must not be greater than 20'],
    ['requiredYears 2.5', { requiredYears: 2.5 }, 'requiredYears', 'requiredYears must be an integer'],
    ['an application year before 1990', { applicationYear: 1989 }, 'applicationYear', expect.stringMatching(/^applicationYear must be a whole year from 1990 to \d{4}$/)],
    ['an application year after next year', { applicationYear: 2999 }, 'applicationYear', expect.stringMatching(/^applicationYear must be a whole year from 1990/)],
    ['qualifyingSince after applicationYear', { qualifyingSince: 2025, applicationYear: 2024 }, 'qualifyingSince', 'qualifyingSince must not be after applicationYear'],
    ['workStartYear after applicationYear', { workStartYear: 2025 }, 'workStartYear', 'workStartYear must not be after applicationYear'],
    ['a missing requiredYears where the rule needs it', { requiredYears: undefined }, 'requiredYears', 'requiredYears is required for lishui promotion to intermediate'],
    ['an invalid ID number', { idNumber: testIdNumber(60).slice(0, 17) + 'Y' }, 'idNumber', expect.any(String)],
  ])('422 for %s, naming the field (in English when Accept-Language prefers it)', async (_label, change, path, message) => {
    const response = await preview({ ...lishuiRequest, ...change }).set('accept-language', 'en-US,en;q=0.9,zh;q=0.5').expect(422);
    expect(response.body.errors).toEqual([{ path, message }]);
  });

  it('only title systems and admins preview; only applicants ask about themselves', async () => {
    await preview(lishuiRequest, provider).expect(403);
    const token = await applicantToken(test, person);
    await preview(lishuiRequest, token).expect(403);
    await test.http().post('/api/v1/me/eligibility').set(bearer(titleSystem)).send({}).expect(403);
    await test.http().post('/api/v1/eligibility/preview').send(lishuiRequest).expect(401);
  });

  it('GET /api/v1/rules lists every rule set with its citation and parameters; one by id; 404 otherwise', async () => {
    const all = await test.http().get('/api/v1/rules').set(bearer(titleSystem)).expect(200);
    expect(all.body.map((r: { id: string }) => r.id)).toEqual(['lishui-2024', 'quzhou-2021', 'wenzhou-2019']);
    const one = await test.http().get('/api/v1/rules/lishui-2024').set(bearer(await applicantToken(test, person))).expect(200);
    expect(one.body).toMatchObject({
      id: 'lishui-2024',
      city: 'lishui',
      effectiveFrom: 2024,
      citation: { document: '丽人社函〔2024〕22号', section: '五（一）规范继续教育', quote: expect.stringContaining('不少于90学时') },
      parameters: { annualMinimum: { total: 90, professional: 60, public: 18, generalPublic: 12 }, deemedCompliantBefore: 2019 },
    });
    const missing = await test.http().get('/api/v1/rules/lishui-1999').set(bearer(titleSystem)).expect(404);
    expect(missing.body.code).toBe('RULES.NOT_FOUND');
    await test.http().get('/api/v1/rules').expect(401);
  });

  it('the OpenAPI document describes the eligibility and rules endpoints with examples', async () => {
    const document = (await test.http().get('/docs-json').expect(200)).body;
    for (const path of ['/api/v1/eligibility/preview', '/api/v1/me/eligibility', '/api/v1/eligibility/plan', '/api/v1/me/plan', '/api/v1/rules', '/api/v1/rules/{id}', '/api/v1/rules/series']) {
      expect(document.paths[path]).toBeDefined();
    }
    expect(document.components.schemas.EligibilityRequestDto.properties.city.example).toBe('lishui');
    expect(document.components.schemas.DecisionDto.properties.decision.enum).toEqual(['eligible', 'ineligible', 'undetermined']);
  });

  describe('decisions that explain themselves', () => {
    const thisYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

    it('a failed count of compliant years names each short year, category and hours, and says so in Chinese', async () => {
      const who = 61;
      await record([...compliantYear(2023, who), ...compliantYear(2024, who).map((e) => (e.category === 'professional' ? { ...e, hours: 59.5 } : e))], who);
      const response = await preview({ ...lishuiRequest, idNumber: testIdNumber(who), titleLevel: 'associate_senior', requiredYears: 2 }).expect(200);
      const count = response.body.checks.find((c: { code: string }) => c.code === 'COMPLIANT_YEAR_COUNT');
      expect(count.years).toEqual([
        { year: 2023, compliant: true, actual: { total: 90, professional: 60, public: 30, generalPublic: 12 }, shortfall: { total: 0, professional: 0, public: 0, generalPublic: 0 } },
        { year: 2024, compliant: false, actual: { total: 89.5, professional: 59.5, public: 30, generalPublic: 12 }, shortfall: { total: 0.5, professional: 0.5, public: 0, generalPublic: 0 } },
      ]);
      expect(response.body.summary).toBe('不符合：2024年专业科目还差0.5学时、总学时还差0.5学时；2023—2024年符合学时要求的年度为1年，需2年。');
    });

    it('an applicant asks what they must still earn this year; a title system the same for a person', async () => {
      const who = 62;
      await record([...compliantYear(thisYear - 1, who), { category: 'professional', hours: 30, completedOn: `${thisYear}-01-15`, idNumber: testIdNumber(who) }], who);
      const body = { city: 'lishui', applicationYear: thisYear, track: 'promotion', titleLevel: 'intermediate', requiredYears: 2 };
      const mine = await test.http().post('/api/v1/me/plan').set(bearer(await applicantToken(test, testIdNumber(who)))).send(body).expect(200);
      expect(mine.body).toMatchObject({
        feasible: true,
        blockers: [],
        years: [{ year: thisYear, needed: { professional: 42, generalPublic: 12, industryPublic: 6 } }],
        decision: { decision: 'ineligible', summary: expect.stringMatching(/^不符合：/) },
      });
      const theirs = await test.http().post('/api/v1/eligibility/plan').set(bearer(titleSystem)).send({ ...body, idNumber: testIdNumber(who) }).expect(200);
      expect(theirs.body).toEqual(mine.body);
      const past = await test.http().post('/api/v1/eligibility/plan').set(bearer(titleSystem)).send({ ...body, idNumber: testIdNumber(who), applicationYear: thisYear - 1 }).expect(422);
      expect(past.body.errors).toEqual([{ path: 'applicationYear', message: `申报年度须为今年（${thisYear}）或以后：已过去的年度无法再取得学时` }]);
      await test.http().post('/api/v1/eligibility/plan').set(bearer(provider)).send({ ...body, idNumber: testIdNumber(who) }).expect(403);
    });

    it('a closed year that fell short makes the plan infeasible, naming it', async () => {
      const who = 63;
      await record(compliantYear(thisYear - 1, who).map((e) => (e.category === 'general_public' ? { ...e, hours: 10 } : e)), who);
      const response = await test
        .http()
        .post('/api/v1/eligibility/plan')
        .set(bearer(titleSystem))
        .send({ idNumber: testIdNumber(who), city: 'lishui', applicationYear: thisYear, track: 'promotion', titleLevel: 'intermediate', requiredYears: 2 })
        .expect(200);
      expect(response.body).toMatchObject({ feasible: false, years: [], blockers: [{ year: thisYear - 1, reason: expect.stringContaining(`${thisYear - 1}年未达到年度学时要求（一般公需科目差2学时`) }] });
    });

    it('series are a closed list: served with their names; an unknown code is a 422 listing them', async () => {
      const series = await test.http().get('/api/v1/rules/series').set(bearer(titleSystem)).expect(200);
      expect(series.body).toEqual(expect.arrayContaining([{ code: 'engineering', name: '工程' }, { code: 'accounting', name: '会计' }]));
      for (const code of ['acounting', 'constructor', '__proto__']) {
        const refused = await preview({ idNumber: person, city: 'quzhou', applicationYear: 2024, track: 'initial', titleLevel: 'junior', education: 'bachelor', series: code });
        expect(refused.status).toBe(422);
        expect(refused.body.errors[0].path).toBe('series');
        if (code === '__proto__') continue; // refused by the code's form already
        expect(refused.body.errors[0].message).toContain(`没有职称系列“${code}”`);
        expect(refused.body.errors[0].message).toContain('engineering');
      }
    });
  });
});
