import ExcelJS from 'exceljs';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ADMIN_KEY, bearer, createProvider, createTitleSystemClient, startTestApp, type TestApp } from '../support/test-app.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';
import { binaryBody, waitFor } from '../support/wait.js';

describe('certification', () => {
  let test: TestApp;
  let title: { id: string; apiKey: string; webhookSecret: string };
  let otherTitle: { apiKey: string };
  let provider: string;

  const request = (person: number, change: object = {}) => ({
    idNumber: testIdNumber(person),
    city: 'wenzhou',
    applicationYear: 2024,
    track: 'promotion',
    titleLevel: 'intermediate',
    requiredYears: 1,
    ...change,
  });
  const submit = (body: object, key = title.apiKey, idempotencyKey?: string) => {
    const call = test.http().post('/api/v1/certifications').set(bearer(key));
    if (idempotencyKey) call.set('idempotency-key', idempotencyKey);
    return call.send(body);
  };
  const completed = (id: string) =>
    waitFor(`certification ${id}`, async () => {
      const response = await test.http().get(`/api/v1/certifications/${id}`).set(bearer(title.apiKey)).expect(200);
      return response.body.status === 'completed' ? response.body : undefined;
    });

  beforeAll(async () => {
    // The receiving test server listens on loopback, which the webhook policy allows only when listed.
    test = await startTestApp('certification', { WEBHOOK_BACKOFF_MS: '100', WEBHOOK_MAX_ATTEMPTS: '5', WEBHOOK_ALLOWED_HOSTS: 'localhost, 127.0.0.1' });
    title = await createTitleSystemClient(test, '温州评审系统');
    otherTitle = await createTitleSystemClient(test, '另一个评审系统');
    provider = (await createProvider(test, 'cert')).apiKey;
    // Person 1: Wenzhou-compliant 2024 (60 + 18 + 12 = 90); person 2: 2 public hours short.
    await test.http().post('/api/v1/hours/batch').set(bearer(provider)).send({
      entries: [
        entry('c-1', { category: 'professional', hours: 60, completedOn: '2024-03-01' }, 1),
        entry('c-2', { category: 'general_public', hours: 18, completedOn: '2024-03-02' }, 1),
        entry('c-3', { category: 'industry_public', hours: 12, completedOn: '2024-03-03' }, 1),
        entry('c-4', { category: 'professional', hours: 74, completedOn: '2024-03-01' }, 2),
        entry('c-5', { category: 'general_public', hours: 16, completedOn: '2024-03-02' }, 2),
      ],
    }).expect(201);
  });
  afterAll(() => test.close());

  it('a title system certifies one applicant: 202 queued, then completed with a decision and a certificate that verifies against the JWKS', async () => {
    const accepted = await submit(request(1)).expect(202);
    expect(accepted.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });
    const certification = await completed(accepted.body.id);
    expect(certification).toMatchObject({
      id: accepted.body.id,
      status: 'completed',
      request: { city: 'wenzhou', applicationYear: 2024, idNumberMasked: `330102********${testIdNumber(1).slice(14)}` },
      decision: { decision: 'eligible', ruleSet: { id: 'wenzhou-2019' } },
      certificate: expect.any(String),
      completedAt: expect.any(String),
    });
    expect(JSON.stringify(certification)).not.toContain(testIdNumber(1));

    const jwks = (await test.http().get('/.well-known/jwks.json').expect(200)).body;
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload, protectedHeader } = await jwtVerify(certification.certificate, createLocalJWKSet(jwks), { issuer: 'ce-ledger', algorithms: ['EdDSA'] });
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    expect(payload).toMatchObject({
      sub: accepted.body.id,
      certificationId: accepted.body.id,
      subject: { idNumberMasked: certification.request.idNumberMasked, idNumberHmac: expect.any(String) },
      request: { city: 'wenzhou', requiredYears: 1 },
      decision: certification.decision,
      ledgerDigest: { alg: 'SHA-256', value: expect.stringMatching(/^[0-9a-f]{64}$/), entries: 3 },
      evaluatedAt: expect.any(String),
    });
    expect(JSON.stringify(payload)).not.toContain(testIdNumber(1));

    // Tampered with: the decision changed in the payload, the signature kept.
    const [header, body, signature] = certification.certificate.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, decision: { ...certification.decision, decision: 'eligible' }, certificationId: 'x' })).toString('base64url');
    await expect(jwtVerify(`${header}.${forged}.${signature}`, createLocalJWKSet(jwks))).rejects.toThrow(/signature verification failed/);
    const flipped = Buffer.from(signature, 'base64url');
    flipped[0] ^= 0x01; // one bit of the signature itself
    await expect(jwtVerify(`${header}.${body}.${flipped.toString('base64url')}`, createLocalJWKSet(jwks))).rejects.toThrow(/signature verification failed/);
  });

  it('the decision is the same as the preview, and says what is missing', async () => {
    const accepted = await submit(request(2)).expect(202);
    const certification = await completed(accepted.body.id);
    const preview = await test.http().post('/api/v1/eligibility/preview').set(bearer(title.apiKey)).send(request(2)).expect(200);
    expect(certification.decision).toEqual(preview.body);
    expect(certification.decision.checks[0]).toMatchObject({ passed: false, shortfall: { total: 0, professional: 0, public: 2 } });
  });

  it('Idempotency-Key: same key and body → the same certification; same key, other body → 409; concurrent → one row', async () => {
    const first = await submit(request(3), title.apiKey, 'key-1').expect(202);
    const again = await submit(request(3), title.apiKey, 'key-1').expect(202);
    expect(again.body.id).toBe(first.body.id);
    const conflict = await submit(request(3, { requiredYears: 2 }), title.apiKey, 'key-1').expect(409);
    expect(conflict.body.code).toBe('CERTIFICATION.IDEMPOTENCY_CONFLICT');
    // Keys are per client: another title system may use the same key.
    const other = await submit(request(3), otherTitle.apiKey, 'key-1').expect(202);
    expect(other.body.id).not.toBe(first.body.id);

    const responses = await Promise.all(Array.from({ length: 20 }, () => submit(request(4), title.apiKey, 'key-concurrent')));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const [{ n }] = await test.dataSource.query("SELECT COUNT(*) AS n FROM certifications WHERE idempotency_key = 'key-concurrent'");
    expect(Number(n)).toBe(1);
  });

  it('a roster: 202 with batchId and ids; counts; pages; a CSV for the committee', async () => {
    const requests = Array.from({ length: 40 }, (_, i) => request(i % 2 === 0 ? 1 : 2));
    requests[39] = request(5, { city: 'lishui', applicationYear: 2024, track: 'initial', titleLevel: 'junior', education: 'bachelor' });
    const accepted = await test.http().post('/api/v1/certifications/batch').set(bearer(title.apiKey)).set('idempotency-key', 'roster-1').send({ requests }).expect(202);
    expect(accepted.body.ids).toHaveLength(40);
    const summary = await waitFor('roster', async () => {
      const response = await test.http().get(`/api/v1/certification-batches/${accepted.body.batchId}`).set(bearer(title.apiKey)).expect(200);
      return response.body.completed === 40 ? response.body : undefined;
    });
    expect(summary).toEqual({ id: accepted.body.batchId, total: 40, queued: 0, running: 0, completed: 40, failed: 0, eligible: 20, ineligible: 19, undetermined: 1 });

    const replay = await test.http().post('/api/v1/certifications/batch').set(bearer(title.apiKey)).set('idempotency-key', 'roster-1').send({ requests }).expect(202);
    expect(replay.body).toEqual(accepted.body);
    await test.http().post('/api/v1/certifications/batch').set(bearer(title.apiKey)).set('idempotency-key', 'roster-1').send({ requests: requests.slice(1) }).expect(409);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await test.http().get(`/api/v1/certification-batches/${accepted.body.batchId}/certifications?limit=15${cursor ? `&cursor=${cursor}` : ''}`).set(bearer(title.apiKey)).expect(200);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...accepted.body.ids].sort());

    const csv = await test.http().get(`/api/v1/certification-batches/${accepted.body.batchId}/export.csv`).set(bearer(title.apiKey)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="roster-[0-9a-f-]+\.csv"; filename\*=UTF-8''/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('序号,姓名,身份证号（脱敏）,城市,申报年度,申报类型,职称级别,职称系列,状态,结论,说明,认证编号');
    expect(lines).toHaveLength(41);
    const summaryOf = async (id: string) => (await test.http().get(`/api/v1/certifications/${id}`).set(bearer(title.apiKey)).expect(200)).body.decision.summary;
    const failing = await summaryOf(accepted.body.ids[1]);
    expect(failing).toMatch(/^不符合：2024年/);
    expect(lines[2]).toBe(`2,学员2,330102********${testIdNumber(2).slice(14)},温州,2024,晋升,中级,,已完成,不符合,${failing},${accepted.body.ids[1]}`);
    expect(lines[1]).toBe(`1,学员1,330102********${testIdNumber(1).slice(14)},温州,2024,晋升,中级,,已完成,符合,${await summaryOf(accepted.body.ids[0])},${accepted.body.ids[0]}`);
    expect(lines[40]).toMatch(new RegExp(`^40,,330102\\*{8}\\d{3}\\w,丽水,2024,初定,初级,,已完成,无法判定,无法判定：.*,${accepted.body.ids[39]}$`));
    expect(csv.text).not.toContain(testIdNumber(1));

    const xlsx = await test
      .http()
      .get(`/api/v1/certification-batches/${accepted.body.batchId}/export.xlsx`)
      .set(bearer(title.apiKey))
      .buffer(true)
      .parse(binaryBody as never)
      .expect(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(41);
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['序号', '姓名', '身份证号（脱敏）']);
    const row = sheet.getRow(3);
    expect([1, 2, 4, 5, 10, 11, 12].map((column) => row.getCell(column).value)).toEqual([2, '学员2', '温州', 2024, '不符合', failing, accepted.body.ids[1]]);
  });

  it('a roster with bad requests → 422 naming every bad row at once, form and rules alike; nothing is written', async () => {
    const before = await test.dataSource.query('SELECT COUNT(*) AS n FROM certifications');
    const response = await test.http().post('/api/v1/certifications/batch').set(bearer(title.apiKey)).send({
      requests: [request(1), request(2, { requiredYears: undefined }), request(3, { city: 'lishui', applicationYear: 2020 }), request(4, { callbackUrl: 'ftp://x.example/' }), 42, request(5, { surprise: 1 })],
    }).expect(422);
    expect(response.body).toMatchObject({ code: 'REQUEST.INVALID', detail: '未提交任何内容：花名册中有不符合要求的行，详见 errors。' });
    expect(response.body.errors).toEqual([
      { path: 'requests[1].requiredYears', message: '按温州市晋升中级的规则，任职年限为必填项' },
      { path: 'requests[2].applicationYear', message: '丽水市在 2020 年没有生效的规则：其第一份文件自 2024 年起适用。' },
      { path: 'requests[3].callbackUrl', message: '回调地址必须是 http 或 https 网址' },
      { path: 'requests[4]', message: '花名册[4]必须是对象' },
      { path: 'requests[5].surprise', message: '不允许的字段 surprise' },
    ]);
    await test.http().post('/api/v1/certifications/batch').set(bearer(title.apiKey)).send({ requests: [] }).expect(422);
    await submit(request(1), title.apiKey, 'bad key with spaces').expect(422);
    expect(await test.dataSource.query('SELECT COUNT(*) AS n FROM certifications')).toEqual(before);
  });

  it('each caller sees only its own certifications; providers and applicants none', async () => {
    const accepted = await submit(request(1)).expect(202);
    await test.http().get(`/api/v1/certifications/${accepted.body.id}`).set(bearer(otherTitle.apiKey)).expect(404);
    await test.http().get(`/api/v1/certifications/${accepted.body.id}`).set(bearer(ADMIN_KEY)).expect(200);
    await test.http().get('/api/v1/certifications/not-an-id').set(bearer(title.apiKey)).expect(404);
    await submit(request(1), provider).expect(403);
    await submit(request(1), ADMIN_KEY).expect(403);
  });

  it('a webhook whose receiver fails twice and then succeeds gets the certification, signed; every attempt is recorded', async () => {
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const deliveryIds: unknown[] = [];
    let calls = 0;
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        calls++;
        deliveryIds.push(req.headers['x-ce-delivery']);
        if (calls <= 2) {
          res.writeHead(500).end('not yet, and this answer is not kept');
          return;
        }
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const accepted = await submit(request(1, { callbackUrl: `http://127.0.0.1:${port}/hook` })).expect(202);
      await completed(accepted.body.id);
      await waitFor('webhook', async () => received.length === 1);
      const [delivery] = received;
      const timestamp = String(delivery.headers['x-ce-timestamp']);
      const expected = `v1=${createHmac('sha256', title.webhookSecret).update(`${timestamp}.${delivery.body}`).digest('hex')}`;
      expect(delivery.headers['x-ce-signature']).toBe(expected);
      expect(delivery.headers['x-ce-attempt']).toBe('3');
      // One delivery id on every attempt (the receiver dedupes on it): the outbox row's.
      expect(new Set(deliveryIds).size).toBe(1);
      const [outbox] = await test.dataSource.query('SELECT delivery_id AS deliveryId, status FROM webhook_outbox WHERE certification_id = ?', [accepted.body.id]);
      expect(outbox).toEqual({ deliveryId: deliveryIds[0], status: 'delivered' });
      expect(JSON.parse(delivery.body)).toMatchObject({ id: accepted.body.id, status: 'completed', decision: { decision: 'eligible' }, certificate: expect.any(String) });

      const attempts = await test.http().get(`/api/v1/certifications/${accepted.body.id}/webhook-deliveries`).set(bearer(title.apiKey)).expect(200);
      expect(attempts.body.map((a: { attempt: number; statusCode: number; succeeded: boolean }) => [a.attempt, a.statusCode, a.succeeded])).toEqual([
        [1, 500, false],
        [2, 500, false],
        [3, 204, true],
      ]);
      const [{ stored }] = await test.dataSource.query("SELECT COUNT(*) AS stored FROM webhook_deliveries WHERE error LIKE '%not kept%'");
      expect(Number(stored)).toBe(0);
    } finally {
      server.close();
    }
  });

  it('refuses callbacks to loopback, private, link-local or unresolvable hosts (SSRF), naming the row; nothing is written', async () => {
    const before = await test.dataSource.query('SELECT COUNT(*) AS n FROM certifications');
    const response = await test.http().post('/api/v1/certifications/batch').set(bearer(title.apiKey)).send({
      requests: [
        request(1, { callbackUrl: 'http://169.254.169.254/latest/meta-data/' }),
        request(2, { callbackUrl: 'http://10.0.0.8:8080/hook' }),
        request(3, { callbackUrl: 'http://[::1]:9000/hook' }),
        request(4, { callbackUrl: 'http://[::ffff:192.168.1.1]/hook' }),
        request(5, { callbackUrl: 'https://no-such-host.invalid/hook' }),
        request(6, { callbackUrl: 'http://127.0.0.1:9/hook' }), // listed in WEBHOOK_ALLOWED_HOSTS for this suite
      ],
    }).expect(422);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual([0, 1, 2, 3, 4].map((i) => `requests[${i}].callbackUrl`));
    expect(response.body.errors[0].message).toBe('回调地址的主机 169.254.169.254 不是公网地址（回环、内网、链路本地等地址不允许；如确需，请由运维加入 WEBHOOK_ALLOWED_HOSTS）');
    expect(response.body.errors[4].message).toBe('回调地址的主机 no-such-host.invalid 无法解析');
    await submit(request(1, { callbackUrl: 'http://100.64.0.1/hook' })).expect(422);
    expect(await test.dataSource.query('SELECT COUNT(*) AS n FROM certifications')).toEqual(before);
  });
});

describe('webhook policy', () => {
  it('classifies addresses: only public unicast passes', async () => {
    const { isPublicAddress } = await import('../../src/certification/callback-policy.js');
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', 'not-an-ip']) {
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    }
    for (const address of ['8.8.8.8', '223.5.5.5', '2400:3200::1']) expect([address, isPublicAddress(address)]).toEqual([address, true]);
  });

  it('in production a callbackUrl must be https; an allowed host passes whatever it resolves to', async () => {
    const { CallbackPolicy } = await import('../../src/certification/callback-policy.js');
    const settings: Record<string, string> = { NODE_ENV: 'production', WEBHOOK_ALLOWED_HOSTS: 'hooks.internal' };
    const policy = new CallbackPolicy({ get: (name: string) => settings[name] } as never);
    expect((await policy.problem('http://8.8.8.8/hook'))?.key).toBe('FIELD.CALLBACK_HTTPS');
    expect(await policy.problem('https://8.8.8.8/hook')).toBeNull();
    expect(await policy.problem('https://hooks.internal/hook')).toBeNull();
    expect((await policy.problem('https://10.0.0.1/hook'))?.key).toBe('FIELD.CALLBACK_NOT_PUBLIC');
    await policy.dispatcher.close();
  });
});
