import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ApiClientsRepository } from '../../src/auth/api-clients.repository.js';
import { ADMIN_KEY, bearer, createProvider, createTitleSystemClient, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';
import { waitFor } from '../support/wait.js';

/** Several keys per client, revocation felt by every process within 5 s; signing keys rotated, old certificates still verify. */
describe('keys', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await startTestApp('keys');
    second = await startTestApp('keys', {}, first.databaseName);
  });
  afterAll(async () => {
    await second.app.close();
    await first.close();
  });

  it('a provider lists, adds (at most 5 active) and revokes its keys; a revoked key is refused by every process within 5 s', async () => {
    const provider = await createProvider(first, 'keys-a');
    const listed = (await first.http().get('/api/v1/keys').set(bearer(provider.apiKey)).expect(200)).body;
    // Its last use is this very request (kept in memory, written in one statement per flush, never per request).
    expect(listed).toEqual([{ id: expect.any(String), prefix: provider.apiKey.slice(0, 12), createdAt: expect.any(String), lastUsedAt: expect.any(String), revokedAt: null }]);

    const added = [];
    for (let i = 0; i < 4; i++) added.push((await first.http().post('/api/v1/keys').set(bearer(provider.apiKey)).expect(201)).body);
    expect((await first.http().post('/api/v1/keys').set(bearer(provider.apiKey)).expect(409)).body.code).toBe('KEYS.LIMIT');
    const fresh = added[0].apiKey;
    await second.http().get('/api/v1/hours').set(bearer(fresh)).expect(200); // known to the other process at once

    const [{ n: unused }] = await first.dataSource.query('SELECT COUNT(*) AS n FROM api_keys WHERE id = ? AND last_used_at IS NULL', [added[0].id]);
    expect(Number(unused)).toBe(1); // used in the other process a moment ago: not written yet
    await second.app.get(ApiClientsRepository).flushLastUsed();
    const [{ n: used }] = await first.dataSource.query('SELECT COUNT(*) AS n FROM api_keys WHERE id = ? AND last_used_at IS NOT NULL', [added[0].id]);
    expect(Number(used)).toBe(1);

    await first.http().delete(`/api/v1/keys/${added[0].id}`).set(bearer(provider.apiKey)).expect(204);
    await first.http().get('/api/v1/hours').set(bearer(fresh)).expect(401);
    const started = Date.now();
    await waitFor('the other process to refuse the revoked key', async () => (await second.http().get('/api/v1/hours').set(bearer(fresh))).status === 401, 6_000, 100);
    expect(Date.now() - started).toBeLessThanOrEqual(5_500);
    // With one revoked, a fifth active key may be added again.
    await first.http().post('/api/v1/keys').set(bearer(provider.apiKey)).expect(201);
  });

  it('keys are the holder’s own: another client’s is 404; the bootstrap key and applicants have none to manage', async () => {
    const a = await createProvider(first, 'keys-b');
    const b = await createTitleSystemClient(first, '评审系统');
    const [key] = (await first.http().get('/api/v1/keys').set(bearer(a.apiKey)).expect(200)).body;
    await first.http().delete(`/api/v1/keys/${key.id}`).set(bearer(b.apiKey)).expect(404);
    await first.http().get('/api/v1/hours').set(bearer(a.apiKey)).expect(200);
    expect((await first.http().get('/api/v1/keys').set(bearer(ADMIN_KEY)).expect(403)).body.detail).toContain('启动密钥');
  });

  it('an administrator rotates the signing key: new certificates carry the new kid, old ones still verify', async () => {
    const title = await createTitleSystemClient(first, '评审系统');
    const provider = await createProvider(first, 'keys-c');
    await first.http().post('/api/v1/hours').set(bearer(provider.apiKey)).send(entry('k-1', { hours: 90 }, 3)).expect(201);
    const certify = async () => {
      const { id } = (await first.http().post('/api/v1/certifications').set(bearer(title.apiKey)).send({ idNumber: testIdNumber(3), city: 'wenzhou', applicationYear: 2024, track: 'promotion', titleLevel: 'junior', requiredYears: 1 }).expect(202)).body;
      return waitFor('certificate', async () => (await first.http().get(`/api/v1/certifications/${id}`).set(bearer(title.apiKey))).body.certificate as string | undefined);
    };
    const before = await certify();
    const { kid } = (await first.http().post('/api/v1/admin/signing-keys').set(bearer(ADMIN_KEY)).expect(201)).body;
    const after = await certify();
    expect(decodeProtectedHeader(after).kid).toBe(kid);
    expect(decodeProtectedHeader(before).kid).not.toBe(kid);
    const jwks = createLocalJWKSet((await first.http().get('/.well-known/jwks.json').expect(200)).body);
    await jwtVerify(before, jwks);
    await jwtVerify(after, jwks);
    // The other process signs with it within 5 s too.
    await waitFor('the other process to sign with the new key', async () => second.app.get((await import('../../src/certification/signing.service.js')).SigningService).keyId === kid, 6_000, 100);
    const [stored] = await first.dataSource.query('SELECT private_key_cipher AS cipher FROM signing_keys WHERE kid = ?', [kid]);
    expect(stored.cipher.toString('latin1')).not.toContain('PRIVATE KEY');
    await first.http().post('/api/v1/admin/signing-keys').set(bearer(title.apiKey)).expect(403);
  });
});
