import { ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app.js';

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
      expect.arrayContaining([
        '/api/v1/hours',
        '/api/v1/hours/batch',
        '/api/v1/hours/{id}/reversal',
        '/api/v1/hours/reversal',
        '/api/v1/hours/lookup',
        '/api/v1/admin/persons/name-changes',
        '/api/v1/me/ledger',
        '/api/v1/ledger-queries',
        '/api/v1/certification-batches/{id}/export.csv',
        '/api/v1/certification-batches/{id}/export.xlsx',
      ]),
    );
    expect(json.body.paths['/api/v1/hours'].get.parameters.map((p: { name: string }) => p.name)).toContain('externalId');
    expect(json.body.components.schemas.DecisionDto.required).toContain('summary');
    const ui = await test.http().get('/docs').redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('has applied every migration, and the entities need no further one', async () => {
    const pending = await test.dataSource.showMigrations();
    expect(pending).toBe(false);
    const drift = await test.dataSource.driver.createSchemaBuilder().log();
    expect(drift.upQueries.map((query) => query.query)).toEqual([]);
    // Modules register their own entities: a table without one would escape the drift check above.
    const tables: { name: string }[] = await test.dataSource.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'schema_migrations'");
    expect(test.dataSource.entityMetadatas.map((entity) => entity.tableName).sort()).toEqual(tables.map((table) => table.name).sort());
  });

  it('serves the applicant page at /app/, and no development sign-in unless the admin key is the development one', async () => {
    const page = await test.http().get('/app/').expect(200);
    expect(page.text).toContain('继续教育学时查询');
    await test.http().get('/app/dev-config.json').expect(404);
  });

  it('echoes a well-formed x-request-id and makes one up otherwise', async () => {
    const given = await test.http().get('/health/live').set('x-request-id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await test.http().get('/health/live').set('x-request-id', 'not a valid id').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('queue dashboard', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp('dashboard');
  });
  afterAll(() => test.close());

  it('is at /admin/queues behind the admin key (Bearer or Basic password), listing every queue', async () => {
    const anonymous = await test.http().get('/admin/queues').expect(401);
    expect(anonymous.headers['www-authenticate']).toContain('Basic');
    await test.http().get('/admin/queues').set('authorization', 'Bearer not-the-admin-key').expect(401);
    const { createProvider } = await import('../support/test-app.js');
    const provider = await createProvider(test, 'dash');
    await test.http().get('/admin/queues').set('authorization', `Bearer ${provider.apiKey}`).expect(401);

    const basic = `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}`;
    const page = await test.http().get('/admin/queues').set('authorization', basic).expect(200);
    expect(page.text).toContain('<html');
    const api = await test.http().get('/admin/queues/api/queues').set('authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['certifications', 'imports', 'notifications', 'webhooks']);

    // Any admin principal, not only the bootstrap key: an admin client created through the API.
    const client = await test.http().post('/api/v1/admin/clients').set('authorization', `Bearer ${ADMIN_KEY}`).send({ name: '运维', role: 'admin' }).expect(201);
    await test.http().get('/admin/queues/api/queues').set('authorization', `Bearer ${client.body.apiKey}`).expect(200);
    await test.http().get('/admin/queues').set('authorization', `Basic ${Buffer.from(`ops:${client.body.apiKey}`).toString('base64')}`).expect(200);
  });
});
