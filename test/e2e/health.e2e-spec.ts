import { startTestApp, type TestApp } from '../support/test-app.js';

describe('health and documentation', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp('health');
  });
  afterAll(() => test.close());

  it('GET /health/live is 200 without credentials', async () => {
    await test.http().get('/health/live').expect(200);
  });

  it('GET /health/ready is 200 when MySQL and Redis answer, naming both', async () => {
    const response = await test.http().get('/health/ready').expect(200);
    expect(response.body.details).toMatchObject({ mysql: { status: 'up' }, redis: { status: 'up' } });
  });

  it('serves the OpenAPI document at /docs-json and the UI at /docs', async () => {
    const json = await test.http().get('/docs-json').expect(200);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/hours', '/api/v1/hours/batch', '/api/v1/hours/{id}/reversal', '/api/v1/me/ledger', '/api/v1/ledger-queries']),
    );
    const ui = await test.http().get('/docs').redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('has applied every migration, and the entities need no further one', async () => {
    const pending = await test.dataSource.showMigrations();
    expect(pending).toBe(false);
    const drift = await test.dataSource.driver.createSchemaBuilder().log();
    expect(drift.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('echoes a well-formed x-request-id and makes one up otherwise', async () => {
    const given = await test.http().get('/health/live').set('x-request-id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await test.http().get('/health/live').set('x-request-id', 'not a valid id').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
