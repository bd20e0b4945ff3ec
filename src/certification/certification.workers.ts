import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Job, Worker } from 'bullmq';
import { redactQuoted } from '../common/log-redaction.js';
import type { AppConfig } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { queueConnection, queuePrefix } from '../redis/redis-connection.js';
import { CERTIFICATION_QUEUE, jobsToAddAgain, Queues, WEBHOOK_QUEUE } from '../queue/queue.module.js';
import { type CertifyJobData, certifyJobs } from './certification.jobs.js';
import { CertificationProcessor, type WebhookJobOptions, webhookJobId } from './certification.processor.js';
import { CertificationRepository } from './certification.repository.js';
import { WebhookDeliverer } from './webhook.deliverer.js';

const SWEEP_BATCH = 1000;
const CLOSE_GRACE_MS = 3000;

/**
 * The workers of a process that runs them (the API process by default, `npm run start:worker`
 * always): certification and webhook workers, and the sweeper that re-enqueues certifications
 * whose jobs Redis lost. On shutdown they stop fetching and finish the jobs they hold.
 */
@Injectable()
export class CertificationWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CertificationWorkers.name);
  private workers: Worker[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;
  private readonly webhook: WebhookJobOptions;

  constructor(
    private readonly processor: CertificationProcessor,
    private readonly deliverer: WebhookDeliverer,
    private readonly certifications: CertificationRepository,
    private readonly queues: Queues,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly metrics: MetricsService,
  ) {
    this.webhook = { attempts: config.get('WEBHOOK_MAX_ATTEMPTS', { infer: true }), backoffMs: config.get('WEBHOOK_BACKOFF_MS', { infer: true }) };
  }

  onApplicationBootstrap(): void {
    const options = {
      prefix: queuePrefix(this.config),
      // Workers wait for Redis while it is away, and carry on by themselves when it is back.
      connection: queueConnection(this.config, 'worker'),
      lockDuration: this.config.get('WORKER_LOCK_MS', { infer: true }),
      stalledInterval: Math.max(1000, Math.floor(this.config.get('WORKER_LOCK_MS', { infer: true }) / 2)),
    };
    const certify = new Worker(CERTIFICATION_QUEUE, (job: Job<CertifyJobData>) => this.track(this.processor.processAll(job.data.certificationIds, this.webhook)), {
      ...options,
      concurrency: this.config.get('WORKER_CONCURRENCY', { infer: true }),
    });
    certify.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        this.metrics.certifications.inc({ outcome: 'failed' }, job.data.certificationIds.length);
        void this.certifications.fail(job.data.certificationIds, redactQuoted(error.message)).catch((cause) => this.logger.error(cause));
      }
    });
    const deliver = new Worker(WEBHOOK_QUEUE, (job: Job<{ certificationId: string }>) => this.track(this.deliverer.deliver(job.data.certificationId, job.attemptsMade + 1)), {
      ...options,
      concurrency: 8,
    });
    deliver.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        this.logger.warn(`Webhook for ${job.data.certificationId} given up after ${job.attemptsMade} attempts: ${redactQuoted(error.message)}`);
        void this.certifications.settleOutbox(job.data.certificationId, 'failed').catch((cause) => this.logger.error(cause));
      }
    });
    this.workers = [certify, deliver];
    for (const worker of this.workers) worker.on('error', (error) => this.logger.warn(`Worker ${worker.name}: ${redactQuoted(error.message)}`));

    const interval = this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true }) * 1000;
    this.sweeper = setInterval(() => void this.sweep(), interval);
    this.logger.log(`Workers running: ${this.workers.map((w) => w.name).join(', ')}; sweeping every ${interval / 1000} s`);
  }

  /** Both sweeps, one at a time per process. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      return (await this.sweepCertifications()) + (await this.sweepWebhooks());
    } catch (error) {
      this.logger.warn(`Sweep skipped: ${redactQuoted((error as Error).message)}`);
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * Re-adds the jobs of pending webhooks (outbox rows) not touched for SWEEP_STALE_SECONDS whose jobs
   * Redis no longer holds, or whose jobs ended while the row stayed pending: the same jobIds.
   */
  private async sweepWebhooks(): Promise<number> {
    const staleBefore = new Date(Date.now() - this.config.get('SWEEP_STALE_SECONDS', { infer: true }) * 1000);
    const ids = await this.certifications.stalePendingWebhooks(staleBefore, SWEEP_BATCH);
    const lost = await jobsToAddAgain(this.queues.webhooks, ids, webhookJobId);
    if (lost.length === 0) return 0;
    for (const id of lost) await this.processor.enqueueWebhook(id, this.webhook);
    await this.certifications.touchOutbox(lost);
    this.metrics.sweeperReenqueued.inc({ queue: WEBHOOK_QUEUE }, lost.length);
    this.logger.warn(`Sweeper re-added ${lost.length} webhook job(s) that Redis lost`);
    return lost.length;
  }

  /**
   * Re-adds the jobs of open certifications not touched for SWEEP_STALE_SECONDS that Redis no longer
   * holds (lost with a restart or a flush): the same jobs, under the same jobIds, as the submission
   * added. Re-adding a job that exists is harmless, and the handler skips what is done.
   */
  private async sweepCertifications(): Promise<number> {
    const staleBefore = new Date(Date.now() - this.config.get('SWEEP_STALE_SECONDS', { infer: true }) * 1000);
    const stale = await this.certifications.findStale(staleBefore, SWEEP_BATCH);
    const staleIds = new Set(stale.map((row) => row.id));
    // A single submission is a job of its own; a roster's jobs are rebuilt from all its ids.
    const jobs = stale.filter((row) => !row.batchId).flatMap((row) => certifyJobs([row.id]));
    for (const batchId of new Set(stale.flatMap((row) => (row.batchId ? [row.batchId] : [])))) {
      jobs.push(...certifyJobs(await this.certifications.batchIds(batchId)).filter((job) => job.data.certificationIds.some((id) => staleIds.has(id))));
    }
    // Rows still open although their job ended run again too: the handler is idempotent.
    const lost = await jobsToAddAgain(this.queues.certifications, jobs, (job) => job.opts.jobId);
    if (lost.length === 0) return 0;
    await this.queues.certifications.addBulk(lost);
    const ids = lost.flatMap((job) => job.data.certificationIds);
    await this.certifications.touch(ids);
    this.metrics.sweeperReenqueued.inc({ queue: CERTIFICATION_QUEUE }, lost.length);
    this.logger.warn(`Sweeper re-added ${lost.length} job(s) for ${ids.length} certification(s) that Redis lost`);
    return ids.length;
  }

  /** Keeps the jobs this process runs, so that shutdown can wait for them itself. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * Workers stop fetching at once and finish the jobs they hold. BullMQ's close can then hang on a
   * Redis client that is still reconnecting (taskforcesh/bullmq#4656, seen after a Redis restart),
   * so it is waited for only CLOSE_GRACE_MS once the jobs are done.
   */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    const closing = Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.allSettled([...this.running]);
    const closed = await Promise.race([closing.then(() => true), sleep(CLOSE_GRACE_MS, false, { ref: false })]);
    if (!closed) this.logger.warn(`Queue connections did not close within ${CLOSE_GRACE_MS} ms after the last job; leaving them`);
  }
}
