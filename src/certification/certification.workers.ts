import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Job, Worker } from 'bullmq';
import type { AppConfig } from '../config/environment.js';
import { CERTIFICATION_QUEUE, CERTIFY_JOB, Queues, WEBHOOK_QUEUE } from '../queue/queue.module.js';
import { CertificationProcessor, type WebhookJobOptions } from './certification.processor.js';
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
  private workers: Worker[] = [];
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;
  private readonly webhook: WebhookJobOptions;

  constructor(
    private readonly processor: CertificationProcessor,
    private readonly deliverer: WebhookDeliverer,
    private readonly certifications: CertificationRepository,
    private readonly queues: Queues,
    private readonly config: ConfigService<AppConfig, true>,
  ) {
    this.webhook = { attempts: config.get('WEBHOOK_MAX_ATTEMPTS', { infer: true }), backoffMs: config.get('WEBHOOK_BACKOFF_MS', { infer: true }) };
  }

  onApplicationBootstrap(): void {
    const options = {
      prefix: this.config.get('QUEUE_PREFIX', { infer: true }),
      // Workers wait for Redis while it is away, and carry on by themselves when it is back.
      connection: { url: this.config.get('REDIS_URL', { infer: true }), maxRetriesPerRequest: null },
      lockDuration: this.config.get('WORKER_LOCK_MS', { infer: true }),
      stalledInterval: Math.max(1000, Math.floor(this.config.get('WORKER_LOCK_MS', { infer: true }) / 2)),
    };
    const certify = new Worker(CERTIFICATION_QUEUE, (job: Job<{ certificationId: string }>) => this.processor.process(job.data.certificationId, this.webhook), {
      ...options,
      concurrency: this.config.get('WORKER_CONCURRENCY', { infer: true }),
    });
    certify.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        void this.certifications.fail(job.data.certificationId, error.message).catch((cause) => this.logger.error(cause));
      }
    });
    const deliver = new Worker(WEBHOOK_QUEUE, (job: Job<{ certificationId: string }>) => this.deliverer.deliver(job.data.certificationId, job.attemptsMade + 1), {
      ...options,
      concurrency: 8,
    });
    this.workers = [certify, deliver];
    for (const worker of this.workers) worker.on('error', (error) => this.logger.warn(`Worker ${worker.name}: ${error.message}`));

    const interval = this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true }) * 1000;
    this.sweeper = setInterval(() => void this.sweep(), interval);
    this.logger.log(`Workers running: ${this.workers.map((w) => w.name).join(', ')}; sweeping every ${interval / 1000} s`);
  }

  /**
   * Re-enqueues open certifications not touched for SWEEP_STALE_SECONDS whose job Redis no longer
   * holds (lost with a restart or a flush). Re-adding with jobId = row id is harmless if it exists.
   */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const staleBefore = new Date(Date.now() - this.config.get('SWEEP_STALE_SECONDS', { infer: true }) * 1000);
      const lost: string[] = [];
      for (const id of await this.certifications.findStale(staleBefore, SWEEP_BATCH)) {
        const state = await this.queues.certifications.getJobState(id);
        if (state === 'unknown') lost.push(id);
        else if (state === 'completed' || state === 'failed') {
          // The row is still open although its job ended: run it again (the handler is idempotent).
          await this.queues.certifications.remove(id);
          lost.push(id);
        }
      }
      if (lost.length > 0) {
        await this.queues.certifications.addBulk(lost.map((id) => ({ name: CERTIFY_JOB.name, data: { certificationId: id }, opts: { ...CERTIFY_JOB.options, jobId: id } })));
        await this.certifications.touch(lost);
        this.logger.warn(`Sweeper re-enqueued ${lost.length} certification(s) whose jobs were lost`);
      }
      return lost.length;
    } catch (error) {
      this.logger.warn(`Sweep skipped: ${(error as Error).message}`);
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
