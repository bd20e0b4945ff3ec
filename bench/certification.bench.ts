import { Queue, Worker } from 'bullmq';
import { type BenchApp, postJson, startBenchApp } from './lib/bench-app.js';
import { printTable, round, writeResult, runIfMain } from './lib/report.js';
import { benchIdNumber } from './lib/seed.js';

/**
 * Certification: a roster from submission until every certification is completed, against a raw
 * BullMQ pipeline of as many no-op jobs with the same concurrency on the same Redis; then a roster
 * SCALE times larger, to see how the time grows. `npm run bench:certification`; sizes:
 * BENCH_ROSTER (5000), BENCH_SCALE (10; 1 skips the large roster), WORKER_CONCURRENCY (16).
 */

const concurrency = () => Number(process.env.WORKER_CONCURRENCY ?? 16);

export async function measureRawQueue(redisUrl: string, jobs: number, workerConcurrency: number) {
  const prefix = `ce_bench_raw_${process.pid}`;
  const queue = new Queue('raw', { prefix, connection: { url: redisUrl } });
  let done = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const worker = new Worker('raw', async () => undefined, { prefix, connection: { url: redisUrl, maxRetriesPerRequest: null }, concurrency: workerConcurrency });
  worker.on('completed', () => {
    if (++done === jobs) finished();
  });
  try {
    const started = process.hrtime.bigint();
    for (let i = 0; i < jobs; i += 1000) {
      await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, j) => ({ name: 'noop', data: { n: i + j }, opts: { jobId: `raw-${i + j}`, removeOnComplete: true } })));
    }
    await allDone;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { jobs, seconds: round(seconds, 2), perSecond: round(jobs / seconds) };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

export async function seedCertificationTarget(bench: BenchApp, persons: number) {
  const provider = await bench.admin('/api/v1/admin/providers', { code: `bench-cert-${Date.now()}`, name: 'Bench' });
  const titleSystem = await bench.admin('/api/v1/admin/clients', { name: 'Bench title system', role: 'title_system' });
  const categories = ['professional', 'general_public', 'industry_public'];
  for (let start = 0; start < persons; start += 1000) {
    const entries = Array.from({ length: Math.min(1000, persons - start) * 3 }, (_, i) => ({
      externalId: `cert-${start * 3 + i}`,
      idNumber: benchIdNumber(start + Math.floor(i / 3)),
      personName: '测试',
      category: categories[i % 3],
      hours: 30,
      completedOn: '2024-05-01',
      courseTitle: '课程',
    }));
    await postJson(`${bench.url}/api/v1/hours/batch`, provider.apiKey, { entries });
  }
  return titleSystem.apiKey as string;
}

export async function measureRoster(bench: BenchApp, titleSystemKey: string, size: number, persons: number) {
  const requests = Array.from({ length: size }, (_, i) => ({
    idNumber: benchIdNumber(i % persons),
    city: 'wenzhou',
    applicationYear: 2024,
    track: 'promotion',
    titleLevel: 'intermediate',
    requiredYears: 1,
  }));
  const started = process.hrtime.bigint();
  const batchIds: string[] = [];
  for (let i = 0; i < size; i += 5000) {
    batchIds.push((await postJson(`${bench.url}/api/v1/certifications/batch`, titleSystemKey, { requests: requests.slice(i, i + 5000) })).batchId);
  }
  for (;;) {
    let completed = 0;
    for (const id of batchIds) {
      const response = await fetch(`${bench.url}/api/v1/certification-batches/${id}`, { headers: { authorization: `Bearer ${titleSystemKey}` } });
      const summary = (await response.json()) as { completed: number; failed: number };
      completed += summary.completed + summary.failed;
    }
    if (completed === size) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { certifications: size, seconds: round(seconds, 2), perSecond: round(size / seconds) };
}

async function main() {
  const roster = Number(process.env.BENCH_ROSTER ?? 5000);
  const scale = Number(process.env.BENCH_SCALE ?? 10);
  const bench = await startBenchApp('certification');
  try {
    const persons = Math.min(roster, 1000);
    const titleSystemKey = await seedCertificationTarget(bench, persons);
    const raw = await measureRawQueue(process.env.REDIS_URL!, roster, concurrency());
    const service = await measureRoster(bench, titleSystemKey, roster, persons);
    const large = scale > 1 ? await measureRoster(bench, titleSystemKey, roster * scale, persons) : null;
    const ratio = round(service.perSecond / raw.perSecond, 2);
    printTable(`Certification: roster of ${roster}, concurrency ${concurrency()}`, [
      { workload: `raw BullMQ, ${roster} no-op jobs`, 'per second': raw.perSecond, seconds: raw.seconds, ratio: 1 },
      { workload: `roster of ${roster} until completed`, 'per second': service.perSecond, seconds: service.seconds, ratio },
      ...(large ? [{ workload: `roster of ${roster * scale}`, 'per second': large.perSecond, seconds: large.seconds, ratio: `${round(large.seconds / service.seconds, 1)}× the time` }] : []),
    ]);
    console.log(`results: ${writeResult('certification', { roster, scale, concurrency: concurrency(), raw, service, ratio, target: 0.4, large })}`);
  } finally {
    await bench.close();
  }
}

runIfMain(import.meta.url, main);
