import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadActivityTypes } from '../../src/self-reports/activity-types.js';
import { webhookSignature } from '../../src/common/webhooks.js';
import { NotificationQueue, NotificationWorkers } from '../../src/self-reports/notifications.js';
import { entry } from '../support/entries.js';
import { testIdNumber } from '../support/id-numbers.js';
import { createAuthority, createEmployer, orgCode, pdf, PNG } from '../support/self-reports.js';
import { applicantToken, bearer, createProvider, startTestApp, type TestApp } from '../support/test-app.js';
import { binaryBody, waitFor } from '../support/wait.js';

const TYPES = loadActivityTypes();
/** A type that counts towards one category only, and one that allows every category (from the shipped config). */
const NARROW = TYPES.find((type) => type.categories.length === 1)!;
const NOTIFY_SECRET = 'notify-secret-0000000000000000000000000';

interface Notification {
  headers: IncomingMessage['headers'];
  body: string;
}

/** 学时申报 end to end: bad input writes nothing; employer → authority review; one entry however often approved; who sees what. */
describe('self-reported activities', () => {
  let test: TestApp;
  let receiver: Server;
  const notifications: Notification[] = [];
  let employerA: Awaited<ReturnType<typeof createEmployer>>;
  let employerB: Awaited<ReturnType<typeof createEmployer>>;
  let authority: string;
  let alice: string;
  let bob: string;
  const aliceId = testIdNumber(701);
  const bobId = testIdNumber(702);

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        notifications.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    test = await startTestApp('sr', {
      NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`,
      NOTIFY_WEBHOOK_SECRET: NOTIFY_SECRET,
      WEBHOOK_BACKOFF_MS: '50',
      // Only the test sweeps (at once), never the timer in between.
      SWEEP_STALE_SECONDS: '1',
      SWEEP_INTERVAL_SECONDS: '3600',
    });
    employerA = await createEmployer(test, orgCode('91330100MA2B3C4D5'), '丽水市建筑设计研究院有限公司');
    employerB = await createEmployer(test, orgCode('91330200MA2B3C4D6'), '温州市交通规划设计院');
    authority = await createAuthority(test, '丽水市人力资源和社会保障局');
    const provider = (await createProvider(test, 'sr-provider', '丽水市继续教育培训中心')).apiKey;
    // Alice has provider hours already: the ledger knows her name.
    await test.http().post('/api/v1/hours').set(bearer(provider)).send(entry('sr-1', { idNumber: aliceId, personName: '林晓', hours: 10, completedOn: '2025-03-01' })).expect(201);
    alice = await applicantToken(test, aliceId);
    bob = await applicantToken(test, bobId);
  });
  afterAll(async () => {
    await test.close();
    receiver.close();
  });

  const count = async (table: string) => Number((await test.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const report = (token: string, fields: Record<string, string>, files: { name: string; bytes: Buffer }[]) => {
    let request = test.http().post('/api/v1/me/activities').set(bearer(token));
    for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
    for (const file of files) request = request.attach('evidence', file.bytes, file.name);
    return request;
  };
  const fieldsFor = (overrides: Record<string, string> = {}) => ({
    activityType: NARROW.code,
    category: NARROW.categories[0],
    hours: '8',
    completedOn: '2025-10-18',
    title: '2025年浙江省土木建筑学会年会（大会报告）',
    organiser: '浙江省土木建筑学会',
    employerOrgCode: employerA.orgCode,
    ...overrides,
  });
  const decide = (key: string, id: string, body: Record<string, string>) => test.http().post(`/api/v1/reviews/${id}/decision`).set(bearer(key)).send(body);

  it('serves the activity types of config/activity-types.yaml', async () => {
    const response = await test.http().get('/api/v1/activity-types').expect(200);
    expect(response.body).toEqual({ items: TYPES, reviewStages: ['employer', 'authority'] });
  });

  it('refuses every kind of bad report with a 422 naming the field, in Chinese, and writes nothing', async () => {
    const good = await pdf();
    const otherCategory = ['professional', 'general_public', 'industry_public'].find((c) => !NARROW.categories.includes(c as never))!;
    const cases: [string, Promise<{ status: number; body: { errors?: { path: string; message: string }[] } }>, string, RegExp][] = [
      ['JSON, not a form', test.http().post('/api/v1/me/activities').set(bearer(alice)).send(fieldsFor()) as never, '(body)', /multipart\/form-data/],
      ['an unknown type', report(alice, fieldsFor({ activityType: 'karaoke' }), [{ name: 'a.pdf', bytes: good }]), 'activityType', /没有这种活动类型/],
      ['a category the type does not allow', report(alice, fieldsFor({ category: otherCategory }), [{ name: 'a.pdf', bytes: good }]), 'category', /只能计入/],
      ['over the per-item cap', report(alice, fieldsFor({ hours: String(NARROW.maxHoursPerItem + 0.1) }), [{ name: 'a.pdf', bytes: good }]), 'hours', /每项最多/],
      ['a future date', report(alice, fieldsFor({ completedOn: '2999-01-01' }), [{ name: 'a.pdf', bytes: good }]), 'completedOn', /不能晚于今天/],
      ['two decimals', report(alice, fieldsFor({ hours: '1.25' }), [{ name: 'a.pdf', bytes: good }]), 'hours', /最多一位小数/],
      ['an unregistered employer', report(alice, fieldsFor({ employerOrgCode: orgCode('91330300MA2B3C4D7') }), [{ name: 'a.pdf', bytes: good }]), 'employerOrgCode', /尚未在本服务登记/],
      ['a wrong check character', report(alice, fieldsFor({ employerOrgCode: `${employerA.orgCode.slice(0, 17)}${employerA.orgCode[17] === '0' ? '1' : '0'}` }), [{ name: 'a.pdf', bytes: good }]), 'employerOrgCode', /校验码/],
      ['no evidence', report(alice, fieldsFor(), []), 'evidence', /至少 1 份证明材料/],
      ['text named .pdf', report(alice, fieldsFor(), [{ name: 'certificate.pdf', bytes: Buffer.from('just text, not a PDF') }]), 'evidence[0]', /不是 PDF、JPG 或 PNG/],
      ['an empty file', report(alice, fieldsFor(), [{ name: 'empty.png', bytes: Buffer.alloc(0) }]), 'evidence[0]', /空文件/],
      ['six files', report(alice, fieldsFor(), Array.from({ length: 6 }, (_, i) => ({ name: `p${i}.png`, bytes: PNG }))), 'evidence', /最多上传 5 份/],
      ['a file over 10 MB', report(alice, fieldsFor(), [{ name: 'big.pdf', bytes: Buffer.concat([good, Buffer.alloc(10 * 1024 * 1024)]) }]), 'evidence[0]', /不能超过 10 MB/],
      ['an unknown field', report(alice, fieldsFor({ approved: 'yes' }), [{ name: 'a.pdf', bytes: good }]), 'approved', /不允许的字段/],
      ['a missing field', report(alice, (({ title: _title, ...rest }) => rest)(fieldsFor()), [{ name: 'a.pdf', bytes: good }]), 'title', /活动名称为必填项/],
    ];
    for (const [what, pending, path, wording] of cases) {
      const response = await pending;
      expect({ what, status: response.status }).toEqual({ what, status: 422 });
      expect({ what, error: response.body.errors?.find((e) => e.path === path)?.message }).toEqual({ what, error: expect.stringMatching(wording) });
    }
    // Bob is unknown to the ledger and his token carries no name: he must give one.
    const nameless = await report(bob, fieldsFor(), [{ name: 'a.pdf', bytes: good }]).expect(422);
    expect(nameless.body.errors).toEqual([{ path: 'personName', message: '姓名为必填项' }]);
    for (const table of ['activities', 'activity_evidence', 'evidence_files', 'evidence_file_chunks', 'activity_steps', 'activity_notifications']) expect({ table, rows: await count(table) }).toEqual({ table, rows: 0 });
  });

  it('takes a report with evidence; the employer, then the authority approve it; the last approval records one self_report entry', async () => {
    const certificate = await pdf('Certificate: 8 hours');
    const created = await report(alice, fieldsFor(), [
      { name: '参会证明.pdf', bytes: certificate },
      { name: '现场照片.png', bytes: PNG },
    ]).expect(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      status: 'pending_employer',
      statusName: '待用人单位审核',
      activityType: { code: NARROW.code, name: NARROW.name },
      hours: 8,
      employer: { orgCode: employerA.orgCode, name: employerA.name },
      evidence: [
        { fileName: '参会证明.pdf', mediaType: 'application/pdf', size: certificate.length },
        { fileName: '现场照片.png', mediaType: 'image/png', size: PNG.length },
      ],
      steps: [{ action: 'submitted', actor: { kind: 'applicant', name: '林晓' } }],
    });
    expect(created.body.person).toBeUndefined();

    // Nobody else sees it: another applicant, another employer, the authority before its stage (404, as if it did not exist).
    await test.http().get(`/api/v1/me/activities/${id}`).set(bearer(bob)).expect(404);
    await test.http().get(`/api/v1/reviews/${id}`).set(bearer(employerB.apiKey)).expect(404);
    await test.http().get(`/api/v1/reviews/${id}`).set(bearer(authority)).expect(404);
    await test.http().get(`/api/v1/reviews/${id}/evidence/${created.body.evidence[0].id}`).set(bearer(employerB.apiKey)).expect(404);
    await test.http().get(`/api/v1/me/activities/${id}/evidence/${created.body.evidence[0].id}`).set(bearer(bob)).expect(404);
    const own = await test.http().get(`/api/v1/me/activities/${id}/evidence/${created.body.evidence[1].id}`).set(bearer(alice)).buffer(true).parse(binaryBody as never).expect(200);
    expect(own.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(own.body, PNG)).toBe(0);
    expect((await test.http().get('/api/v1/reviews').set(bearer(employerB.apiKey)).expect(200)).body.items).toEqual([]);
    expect((await test.http().get('/api/v1/reviews').set(bearer(authority)).expect(200)).body.items).toEqual([]);
    await test.http().get('/api/v1/reviews').set(bearer(alice)).expect(403);

    // The employer's queue, the report with the person, and the evidence byte for byte.
    const queue = (await test.http().get('/api/v1/reviews?status=pending').set(bearer(employerA.apiKey)).expect(200)).body.items;
    expect(queue.map((item: { id: string }) => item.id)).toEqual([id]);
    expect(queue[0].person).toEqual({ name: '林晓', idNumberMasked: `${aliceId.slice(0, 6)}********${aliceId.slice(14)}` });
    const file = await test.http().get(`/api/v1/reviews/${id}/evidence/${created.body.evidence[0].id}`).set(bearer(employerA.apiKey)).buffer(true).parse(binaryBody as never).expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(file.body, certificate)).toBe(0);

    // Rejecting needs a comment; approving moves it to the authority; deciding again is 409.
    const noComment = await decide(employerA.apiKey, id, { decision: 'reject' }).expect(422);
    expect(noComment.body.errors[0]).toMatchObject({ path: 'comment' });
    await decide(employerA.apiKey, id, { decision: 'maybe', comment: 'x' }).expect(422);
    await decide(employerB.apiKey, id, { decision: 'approve' }).expect(404);
    const afterEmployer = (await decide(employerA.apiKey, id, { decision: 'approve', comment: '情况属实' }).expect(200)).body;
    expect(afterEmployer).toMatchObject({ status: 'pending_authority', steps: [{ action: 'submitted' }, { action: 'approved', stage: 'employer', comment: '情况属实', actor: { kind: 'employer' } }] });
    await decide(employerA.apiKey, id, { decision: 'approve' }).expect(409);
    expect(await count('hour_entries WHERE source = "self_report"')).toBe(0);
    await test.http().get(`/api/v1/reviews/${id}`).set(bearer(authority)).expect(200);
    await test.http().post(`/api/v1/me/activities/${id}/withdrawal`).set(bearer(alice)).expect(200).then((r) => expect(r.body.status).toBe('withdrawn'));
    await test.http().post(`/api/v1/me/activities/${id}/withdrawal`).set(bearer(alice)).expect(409);

    // Withdrawn: decided no more (and out of the authority's sight). A second report, through both stages.
    await decide(employerA.apiKey, id, { decision: 'reject', comment: '已撤回' }).expect(409);
    await test.http().get(`/api/v1/reviews/${id}`).set(bearer(authority)).expect(404);
    const second = (await report(alice, fieldsFor({ hours: '6', title: '学术讲座：装配式建筑' }), [{ name: 'a.pdf', bytes: certificate }]).expect(201)).body.id;
    await decide(employerA.apiKey, second, { decision: 'approve' }).expect(200);
    const approved = (await decide(authority, second, { decision: 'approve' }).expect(200)).body;
    expect(approved).toMatchObject({ status: 'approved', statusName: '已通过，已计入学时', ledgerEntryId: expect.any(String) });

    // The ledger tells self-reported hours apart from provider hours, and counts them.
    const ledger = (await test.http().get('/api/v1/me/ledger').set(bearer(alice)).expect(200)).body;
    const year = ledger.years.find((y: { year: number }) => y.year === 2025);
    expect(year.professional).toBe(16);
    expect(year.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'self_report', recordedBy: '丽水市人力资源和社会保障局', provider: null, courseTitle: '学术讲座：装配式建筑', hours: 6 }),
        expect.objectContaining({ source: 'provider', recordedBy: '丽水市继续教育培训中心', provider: { code: 'sr-provider', name: '丽水市继续教育培训中心' } }),
      ]),
    );
    const [stored] = await test.dataSource.query('SELECT external_id AS externalId, provider_id AS providerId FROM hour_entries WHERE source = "self_report"');
    expect(stored).toEqual({ externalId: second, providerId: null });

    // Reviewers' reads are in Alice's access log.
    const log = (await test.http().get('/api/v1/me/access-log').set(bearer(alice)).expect(200)).body.items;
    expect(log).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'review', actionName: '审核学时申报', actor: expect.objectContaining({ kind: 'employer', kindName: '用人单位' }) })]));
    expect(log).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'review', actor: expect.objectContaining({ kind: 'authority', name: '丽水市人力资源和社会保障局' }) })]));

    // The authority corrects it by a reversal, once; an employer may not.
    await test.http().post(`/api/v1/reviews/${second}/reversal`).set(bearer(employerA.apiKey)).send({ reason: '重复申报' }).expect(403);
    const reversed = (await test.http().post(`/api/v1/reviews/${second}/reversal`).set(bearer(authority)).send({ reason: '与培训机构登记的学时重复' }).expect(200)).body;
    expect(reversed).toMatchObject({ status: 'approved', reversed: true });
    await test.http().post(`/api/v1/reviews/${second}/reversal`).set(bearer(authority)).send({ reason: '再次冲销' }).expect(409);
    const after = (await test.http().get('/api/v1/me/ledger').set(bearer(alice)).expect(200)).body.years.find((y: { year: number }) => y.year === 2025);
    expect(after.professional).toBe(10);
    await test.http().post('/api/v1/admin/ledger-verifications').set(bearer('test-admin-key-000000000000000000000000')).expect(200).then((r) => expect(r.body).toMatchObject({ ok: true }));
  });

  it('records one entry however many approvals race (20 at once: one 200, nineteen 409)', async () => {
    const id = (await report(alice, fieldsFor({ hours: '2', title: '课题结题报告' }), [{ name: 'a.png', bytes: PNG }]).expect(201)).body.id;
    await decide(employerA.apiKey, id, { decision: 'approve' }).expect(200);
    const results = await Promise.all(Array.from({ length: 20 }, () => decide(authority, id, { decision: 'approve' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(409)]);
    const rows = await test.dataSource.query('SELECT COUNT(*) AS n FROM hour_entries WHERE external_id = ? AND source = "self_report"', [id]);
    expect(Number(rows[0].n)).toBe(1);
    const steps = (await test.http().get(`/api/v1/me/activities/${id}`).set(bearer(alice)).expect(200)).body.steps;
    expect(steps.filter((s: { action: string }) => s.action === 'approved')).toHaveLength(2);
  });

  it('counts approved and pending reports against the yearly cap, and a rejected one not', async () => {
    const year = '2024-06-01';
    const cap = NARROW.maxHoursPerYear;
    const first = (await report(alice, fieldsFor({ completedOn: year, hours: String(cap - 5) }), [{ name: 'a.png', bytes: PNG }]).expect(201)).body.id;
    const over = await report(alice, fieldsFor({ completedOn: year, hours: '5.1' }), [{ name: 'a.png', bytes: PNG }]).expect(422);
    expect(over.body.errors).toEqual([{ path: 'hours', message: `“${NARROW.name}”每年最多 ${cap} 学时：2024年已申报（含待审核）${cap - 5} 学时，最多还可申报 5 学时` }]);
    await decide(employerA.apiKey, first, { decision: 'reject', comment: '证明材料不清晰，请重新上传。' }).expect(200);
    const mine = (await test.http().get(`/api/v1/me/activities/${first}`).set(bearer(alice)).expect(200)).body;
    expect(mine).toMatchObject({ status: 'rejected', steps: [{ action: 'submitted' }, { action: 'rejected', comment: '证明材料不清晰，请重新上传。', actor: { name: `${employerA.name}人事处` } }] });
    await report(alice, fieldsFor({ completedOn: year, hours: String(cap) }), [{ name: 'a.png', bytes: PNG }]).expect(201);
  });

  it('notifies the deployment of every status change, signed, exactly once each', async () => {
    const rows: { id: string; payload: string }[] = await test.dataSource.query('SELECT id, payload FROM activity_notifications');
    expect(rows.length).toBeGreaterThan(5);
    const delivered = await waitFor('every notification delivered', async () => {
      const pending = await test.dataSource.query("SELECT COUNT(*) AS n FROM activity_notifications WHERE status <> 'delivered'");
      return Number(pending[0].n) === 0 && notifications.length >= rows.length ? notifications : undefined;
    });
    const byDelivery = new Map(delivered.map((n) => [n.headers['x-ce-delivery'], n]));
    expect(byDelivery.size).toBe(rows.length);
    for (const row of rows) {
      const received = byDelivery.get(row.id)!;
      expect(received.body).toBe(row.payload);
      expect(received.headers['x-ce-signature']).toBe(webhookSignature(NOTIFY_SECRET, String(received.headers['x-ce-timestamp']), received.body));
      const payload = JSON.parse(received.body);
      expect(payload).toMatchObject({ event: 'activity.status_changed', deliveryId: row.id, person: { name: '林晓', idNumberMasked: expect.stringMatching(/^\d{6}\*{8}\w{4}$/) } });
      expect(received.body).not.toContain(aliceId);
    }
  });

  it('a notification whose job Redis lost is added again by the sweeper, and delivered once', async () => {
    const { queue } = test.app.get(NotificationQueue);
    await queue.pause();
    // Alice: the ledger knows her name.
    const created = (await report(alice, fieldsFor({ hours: '2', completedOn: '2025-11-02' }), [{ name: 'a.png', bytes: PNG }]).expect(201)).body;
    const [row] = await test.dataSource.query("SELECT id FROM activity_notifications WHERE activity_id = ? AND status = 'pending'", [created.id]);
    await queue.obliterate({ force: true }); // Redis forgets the job; the outbox row stays pending
    await queue.resume();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // SWEEP_STALE_SECONDS
    expect(await test.app.get(NotificationWorkers).sweep()).toBe(1);
    await waitFor('the swept notification delivered', async () => {
      const [{ status }] = await test.dataSource.query('SELECT status FROM activity_notifications WHERE id = ?', [row.id]);
      return status === 'delivered' || undefined;
    });
    expect(await test.app.get(NotificationWorkers).sweep()).toBe(0);
    expect(notifications.filter((n) => n.headers['x-ce-delivery'] === row.id)).toHaveLength(1);
  });
});

describe('self-reported activities with REVIEW_STAGES=employer', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp('sr_one_stage', { REVIEW_STAGES: 'employer' });
  });
  afterAll(() => test.close());

  it('records the entry at the employer’s approval, and names the employer as its recorder', async () => {
    const employer = await createEmployer(test, orgCode('91330100MA2B3C4D5'), '衢州市水利建设有限公司');
    const applicant = testIdNumber(703);
    const token = await applicantToken(test, applicant);
    const created = await test
      .http()
      .post('/api/v1/me/activities')
      .set(bearer(token))
      .field('activityType', NARROW.code)
      .field('category', NARROW.categories[0])
      .field('hours', '12.5')
      .field('completedOn', '2025-05-05')
      .field('title', '水利工程质量管理实践')
      .field('organiser', '衢州市水利学会')
      .field('employerOrgCode', employer.orgCode.toLowerCase())
      .field('personName', '周明')
      .attach('evidence', PNG, 'photo.png')
      .expect(201);
    const approved = (await test.http().post(`/api/v1/reviews/${created.body.id}/decision`).set(bearer(employer.apiKey)).send({ decision: 'approve' }).expect(200)).body;
    expect(approved.status).toBe('approved');
    const ledger = (await test.http().get('/api/v1/me/ledger').set(bearer(token)).expect(200)).body;
    expect(ledger.person.name).toBe('周明');
    expect(ledger.years[0].entries).toEqual([expect.objectContaining({ source: 'self_report', recordedBy: `衢州市水利建设有限公司人事处`, hours: 12.5 })]);
  });
});
