import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import { redactQuoted } from '../common/log-redaction.js';
import type { AppConfig } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ModuleWorkers } from '../queue/module-workers.js';
import { jobsToAddAgain } from '../queue/queue.module.js';
import { type CertifyJobData, certifyJobs } from './certification.jobs.js';
import { CERTIFICATION_QUEUE, CertificationQueues, WEBHOOK_QUEUE } from './certification.queues.js';
import { CertificationProcessor, type WebhookJobOptions, webhookJobId } from './certification.processor.js';
import { CertificationRepository } from './certification.repository.js';
import { WebhookDeliverer } from './webhook.deliverer.js';

const SWEEP_BATCH = 1000;

/**
 * The workers of a process that runs them (the API process by default, `npm run start:worker`
 * always): certification and webhook workers, and the sweeper that re-enqueues certifications
 * whose jobs Redis lost. On shutdown they stop fetching and finish the jobs they hold.
 */
@Injectable()
export class CertificationWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CertificationWorkers.name);
  private readonly workers: ModuleWorkers;
  private readonly webhook: WebhookJobOptions;

  constructor(
    private readonly processor: CertificationProcessor,
    private readonly deliverer: WebhookDeliverer,
    private readonly certifications: CertificationRepository,
    private readonly queues: CertificationQueues,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly metrics: MetricsService,
  ) {
    this.workers = new ModuleWorkers(config, this.logger);
    this.webhook = { attempts: config.get('WEBHOOK_MAX_ATTEMPTS', { infer: true }), backoffMs: config.get('WEBHOOK_BACKOFF_MS', { infer: true }) };
  }

  onApplicationBootstrap(): void {
    this.workers.start({
      queue: CERTIFICATION_QUEUE,
      concurrency: this.config.get('WORKER_CONCURRENCY', { infer: true }),
      process: (job: Job<CertifyJobData>) => this.processor.processAll(job.data.certificationIds, this.webhook),
      gaveUp: (job, error) => {
        this.metrics.certifications.inc({ outcome: 'failed' }, job.data.certificationIds.length);
        return this.certifications.fail(job.data.certificationIds, redactQuoted(error.message));
      },
    });
    this.workers.start({
      queue: WEBHOOK_QUEUE,
      concurrency: 8,
      process: (job: Job<{ certificationId: string }>) => this.deliverer.deliver(job.data.certificationId, job.attemptsMade + 1),
      gaveUp: (job, error) => {
        this.logger.warn(`Webhook for ${job.data.certificationId} given up after ${job.attemptsMade} attempts: ${redactQuoted(error.message)}`);
        return this.certifications.settleOutbox(job.data.certificationId, 'failed');
      },
    });
    this.workers.sweepEvery(() => this.sweepAll());
  }

  private async sweepAll(): Promise<number> {
    return (await this.sweepCertifications()) + (await this.sweepWebhooks());
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

  onApplicationShutdown(): Promise<void> {
    return this.workers.close();
  }
}
