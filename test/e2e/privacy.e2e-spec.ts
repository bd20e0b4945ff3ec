import type { Test } from 'supertest';
import { applicantToken, bearer, createProvider, createTitleSystem, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';

/** The raw resident ID number never leaves the request body: not in responses, logs or stored rows. */
describe('privacy of ID numbers', () => {
  let test: TestApp;
  const idNumber = testIdNumber(77, '19851231', '331102');
  const responses: string[] = [];

  beforeAll(async () => {
    test = await startTestApp('privacy', { LOG_LEVEL: 'trace' });
    const provider = (await createProvider(test, 'privacy')).apiKey;
    const titleSystem = await createTitleSystem(test);
    const record = async (request: Test) => {
      const response = await request;
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
    const token = await applicantToken(test, idNumber);
    await record(test.http().get('/api/v1/me/ledger').set(bearer(token)));
  });
  afterAll(() => test.close());

  it('responses carry the masked form only', () => {
    expect(responses.join('\n')).toContain(`331102********${idNumber.slice(14)}`);
    for (const response of responses) expect(response).not.toContain(idNumber);
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
