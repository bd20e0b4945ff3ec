import type { Test } from 'supertest';
import { ADMIN_KEY, applicantToken, bearer, createProvider, createTitleSystem, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';

/** The raw resident ID number never leaves the request body: not in responses, tokens, URLs, logs or stored rows. */
describe('privacy of ID numbers', () => {
  let test: TestApp;
  const idNumber = testIdNumber(77, '19851231', '331102');
  const responses: string[] = [];
  const urls: string[] = [];
  let token = '';

  beforeAll(async () => {
    test = await startTestApp('privacy', { LOG_LEVEL: 'trace' });
    const provider = (await createProvider(test, 'privacy')).apiKey;
    const titleSystem = await createTitleSystem(test);
    const record = async (request: Test) => {
      const response = await request;
      urls.push((request as unknown as { url: string }).url);
      responses.push(JSON.stringify(response.headers) + response.text);
      return response;
    };
    const created = await record(test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('p-1', { idNumber }, 0)));
    await record(test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('p-1', { idNumber }, 0)));
    await record(test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('p-1', { idNumber, hours: 3 }, 0)));
    await record(test.http().post('/api/v1/hours/batch').set(bearer(provider)).send({ entries: [entry('p-2', { idNumber }), entry('p-3', { idNumber, hours: 0 })] }));
    await record(test.http().post('/api/v1/hours/batch').set(bearer(provider)).send({ entries: [entry('p-2', { idNumber })] }));
    await record(test.http().post(`/api/v1/hours/${created.body.id}/reversal`).set(bearer(provider)).send({ reason: 'x' }));
    await record(test.http().get('/api/v1/hours').set(bearer(provider)));
    await record(test.http().post('/api/v1/ledger-queries').set(bearer(titleSystem)).send({ idNumber }));
    await record(test.http().post('/api/v1/ledger-queries').set(bearer(titleSystem)).send({ idNumber: idNumber.slice(0, 17) + '0' }));
    await record(test.http().post('/api/v1/hours/lookup').set(bearer(provider)).send({ idNumber }));
    await record(test.http().get('/api/v1/hours').query({ externalId: 'p-2' }).set(bearer(provider)));
    await record(test.http().post('/api/v1/hours/reversal').set(bearer(provider)).send({ externalId: 'p-2', reason: '更正' }));
    await record(test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('p-9', { idNumber, personName: '另一个名字' }, 0)));
    await record(test.http().post('/api/v1/admin/persons/name-changes').set(bearer(ADMIN_KEY)).send({ idNumber, newName: '新名字', reason: '更名' }));
    await record(
      test.http().post('/api/v1/eligibility/preview').set(bearer(titleSystem))
        .send({ idNumber, city: 'lishui', applicationYear: 2024, track: 'promotion', titleLevel: 'intermediate', requiredYears: 2 }),
    );
    token = await applicantToken(test, idNumber);
    await record(test.http().get('/api/v1/me/ledger').set(bearer(token)));
    await record(test.http().post('/app/sign-in').type('form').send({ token }));
  });
  afterAll(() => test.close());

  it('responses carry the masked form only', () => {
    expect(responses.join('\n')).toContain(`331102********${idNumber.slice(14)}`);
    for (const response of responses) expect(response).not.toContain(idNumber);
  });

  it('no token carries the number, in clear or encoded, and no URL holds it', () => {
    const [header, payload] = token.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1'));
    expect(header + payload).not.toContain(idNumber);
    expect(token).not.toContain(idNumber);
    expect(token).not.toContain(Buffer.from(idNumber).toString('base64url').slice(0, 20));
    expect(JSON.parse(payload).sub).not.toMatch(/\d{17}/);
    expect(urls.length).toBeGreaterThan(10);
    for (const url of urls) expect(url).not.toContain(idNumber);
  });

  it('log lines never hold the number or a credential, even at trace level', () => {
    expect(test.logs.lines.length).toBeGreaterThan(10);
    expect(test.logs.text).not.toContain(idNumber);
    expect(test.logs.text).not.toMatch(/cel_[A-Za-z0-9_-]{43}/);
    expect(test.logs.text.toLowerCase()).not.toContain('bearer');
  });

  it('no stored row holds the number in clear, in any column of any table', async () => {
    const tables: { name: string }[] = await test.dataSource.query(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
    );
    let rowsSeen = 0;
    for (const { name } of tables) {
      const rows: Record<string, unknown>[] = await test.dataSource.query(`SELECT * FROM \`${name}\``);
      rowsSeen += rows.length;
      for (const row of rows) {
        for (const value of Object.values(row)) {
          const text = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
          expect(text).not.toContain(idNumber);
        }
      }
    }
    expect(rowsSeen).toBeGreaterThan(5);
    const [person] = await test.dataSource.query('SELECT id_number_masked AS masked, LENGTH(id_number_cipher) AS size FROM persons');
    expect(person).toEqual({ masked: `331102********${idNumber.slice(14)}`, size: 1 + 12 + 16 + 18 });
  });
});
