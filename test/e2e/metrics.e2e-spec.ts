import type { INestApplicationContext } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorker } from '../../src/bootstrap.js';
import { entry } from '../support/entries.js';
import { freePort } from '../support/oidc-issuer.js';
import { bearer, createProvider, createTitleSystem, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'metrics-token-for-tests-0000';

/** The value of one series in Prometheus text (0 when it is absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** GET /metrics: guarded by METRICS_TOKEN, counting what the service did, durations by route template; a worker on METRICS_PORT. */
describe('metrics', () => {
  let test: TestApp;
  let worker: INestApplicationContext | undefined;
  beforeAll(async () => {
    test = await startTestApp('metrics', { METRICS_TOKEN: TOKEN, DB_POOL_SIZE: '7' });
  });
  afterAll(async () => {
    await worker?.close();
    await test.close();
  });

  const scrape = async () => (await test.http().get('/metrics').set(bearer(TOKEN)).expect(200)).text;

  it('refuses a scrape without the token, or with a wrong one', async () => {
    await test.http().get('/metrics').expect(401);
    await test.http().get('/metrics').set(bearer('wrong-token-000000000000')).expect(401);
    const response = await test.http().get('/metrics').set(bearer(TOKEN)).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toContain('process_cpu_user_seconds_total');
    expect(response.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('counts entries, import rows and certifications, and times requests by route template, never by raw URL', async () => {
    const provider = (await createProvider(test, 'metrics-provider')).apiKey;
    const before = await scrape();
    const batch = await test.http().post('/api/v1/hours/batch').set(bearer(provider)).send({ entries: [entry('m-1', {}, 1), entry('m-2', {}, 2)] }).expect(201);
    await test.http().post('/api/v1/hours/batch').set(bearer(provider)).send({ entries: [entry('m-1', {}, 1)] }).expect(201); // a replay records nothing
    await test.http().post(`/api/v1/hours/${batch.body.entries[0].id}/reversal`).set(bearer(provider)).send({ reason: '重复登记' }).expect(201);

    const csv = ['身份证号,姓名,科目类别,学时,完成日期,课程名称', `${entry('x', {}, 3).idNumber},学员3,专业科目,6,2024-05-20,课程一`, `${entry('x', {}, 3).idNumber},学员3,专业科目,6.25,2024-05-21,课程二`].join('\n');
    const imported = await test.http().post('/api/v1/hours/imports').set(bearer(provider)).attach('file', Buffer.from(csv), 'roster.csv').expect(202);
    await waitFor('the import', async () => (await test.http().get(`/api/v1/hours/imports/${imported.body.id}`).set(bearer(provider))).body.status === 'completed');

    const title = await createTitleSystem(test);
    const request = { idNumber: entry('x', {}, 2).idNumber, city: 'lishui', applicationYear: 2024, track: 'promotion', titleLevel: 'intermediate', requiredYears: 5 };
    const submitted = await test.http().post('/api/v1/certifications').set(bearer(title)).send(request).expect(202);
    await waitFor('the certification', async () => (await test.http().get(`/api/v1/certifications/${submitted.body.id}`).set(bearer(title))).body.status === 'completed');

    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('ce_hour_entries_recorded_total{source="provider"}')).toBe(4); // two posted, one reversal, one imported row
    expect(delta('ce_import_rows_total{result="created"}')).toBe(1);
    expect(delta('ce_import_rows_total{result="error"}')).toBe(1);
    expect(delta('ce_certifications_total{outcome="ineligible"}')).toBe(1);
    expect(delta('http_request_duration_seconds_count{method="POST",route="/api/v1/hours/:id/reversal",status="201"}')).toBe(1);
    expect(delta('http_request_duration_seconds_count{method="POST",route="/api/v1/hours/batch",status="201"}')).toBe(2);
    expect(after).not.toContain(batch.body.entries[0].id);
    // Every repository method has its histogram: the reversal read its entry once, the import stored its file once.
    expect(delta('ce_repository_duration_seconds_count{repository="LedgerRepository",method="findOwnEntryForUpdate"}')).toBe(1);
    expect(delta('ce_repository_duration_seconds_count{repository="ImportsRepository",method="insert"}')).toBe(1);
    expect(sample(after, 'ce_repository_duration_seconds_sum{repository="CertificationRepository",method="complete"}')).toBeGreaterThan(0);
    expect(sample(after, 'ce_queue_jobs{queue="certifications",state="completed"}')).toBeGreaterThanOrEqual(1);
    // Every module's queues, the self-reports module's own included.
    for (const queue of ['certifications', 'webhooks', 'imports', 'notifications']) {
      expect(after).toContain(`ce_queue_jobs{queue="${queue}",state="waiting"}`);
      // Each module's queue has its sweeper series from the start (an alert's increase() needs it).
      expect(after).toContain(`ce_sweeper_reenqueued_total{queue="${queue}"}`);
    }
    expect(after).toMatch(/ce_queue_oldest_waiting_age_seconds\{queue="imports"\} 0/);
    expect(sample(after, 'ce_db_pool_connections{state="limit"}')).toBe(7);
    expect(after).toContain('ce_db_pool_connections{state="in_use"}');
  });

  it('every series the alert rules and the Grafana dashboard use is one the service exports', async () => {
    const text = await scrape();
    const ops = ['alerts.yml', 'grafana/dashboards/ce-ledger.json'].map((file) => readFileSync(join(process.cwd(), 'docs/ops', file), 'utf8')).join('\n');
    const used = new Set([...ops.matchAll(/\b(ce_[a-z_]+|http_request_duration_seconds(?:_count|_bucket)?|process_[a-z_]+|nodejs_[a-z0-9_]+)\b/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThan(8);
    for (const series of used) expect([series, new RegExp(`^${series}[{ ]`, 'm').test(text)]).toEqual([series, true]);
  });

  it('a worker-only process serves the same metrics on METRICS_PORT, with the same token', async () => {
    const port = await freePort();
    process.env.METRICS_PORT = String(port);
    try {
      worker = await createWorker();
      await worker.init();
    } finally {
      delete process.env.METRICS_PORT;
    }
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: bearer(TOKEN) });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('ce_queue_jobs{queue="certifications"');
    expect(text).toContain('process_resident_memory_bytes');
    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`, { headers: bearer(TOKEN) })).status).toBe(404);
  });
});
