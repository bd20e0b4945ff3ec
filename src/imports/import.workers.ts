import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Job, Worker } from 'bullmq';
import { redactQuoted } from '../common/log-redaction.js';
import type { AppConfig } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { queueConnection, queuePrefix } from '../redis/redis-connection.js';
import { IMPORT_QUEUE, jobsToAddAgain, Queues } from '../queue/queue.module.js';
import { ImportsRepository } from './imports.repository.js';
import { ImportsService } from './imports.service.js';

/**
 * The import worker of a process that runs workers, and its sweeper: an import whose job Redis lost,
 * or whose worker died, is queued again under the same jobId and resumes after its processed rows.
 */
@Injectable()
export class ImportWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportWorkers.name);
  private worker?: Worker;
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly imports: ImportsService,
    private readonly repository: ImportsRepository,
    private readonly queues: Queues,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker(IMPORT_QUEUE, (job: Job<{ importId: string }>) => this.imports.process(job.data.importId), {
      prefix: queuePrefix(this.config),
      connection: queueConnection(this.config, 'worker'),
      concurrency: 2,
      lockDuration: this.config.get('WORKER_LOCK_MS', { infer: true }),
    });
    this.worker.on('error', (error) => this.logger.warn(`Import worker: ${redactQuoted(error.message)}`));
    this.worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) void this.repository.finish(job.data.importId, 'failed', redactQuoted(error.message).slice(0, 500)).catch(() => undefined);
    });
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true }) * 1000);
  }

  async sweep(): Promise<number> {
    const stale = await this.repository.stale(new Date(Date.now() - this.config.get('SWEEP_STALE_SECONDS', { infer: true }) * 1000), 100);
    const lost = await jobsToAddAgain(this.queues.imports, stale, (id) => id);
    for (const id of lost) await this.imports.enqueue(id);
    await this.repository.touch(lost);
    if (lost.length > 0) {
      this.metrics.sweeperReenqueued.inc({ queue: IMPORT_QUEUE }, lost.length);
      this.logger.warn(`Sweeper re-added ${lost.length} import job(s)`);
    }
    return lost.length;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.worker?.close();
  }
}
