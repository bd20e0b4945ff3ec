import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import { redactQuoted } from '../common/log-redaction.js';
import type { AppConfig } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ModuleWorkers } from '../queue/module-workers.js';
import { jobsToAddAgain } from '../queue/queue.module.js';
import { IMPORT_QUEUE, ImportQueue } from './import.queue.js';
import { ImportsRepository } from './imports.repository.js';
import { ImportsService } from './imports.service.js';

/**
 * The import worker of a process that runs workers, and its sweeper: an import whose job Redis lost,
 * or whose worker died, is queued again under the same jobId and resumes after its processed rows.
 */
@Injectable()
export class ImportWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportWorkers.name);
  private readonly workers: ModuleWorkers;

  constructor(
    private readonly imports: ImportsService,
    private readonly repository: ImportsRepository,
    private readonly importQueue: ImportQueue,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly metrics: MetricsService,
  ) {
    this.workers = new ModuleWorkers(config, this.logger);
  }

  onApplicationBootstrap(): void {
    this.workers.start({
      queue: IMPORT_QUEUE,
      concurrency: 2,
      process: (job: Job<{ importId: string }>) => this.imports.process(job.data.importId),
      gaveUp: (job, error) => this.repository.finish(job.data.importId, 'failed', redactQuoted(error.message).slice(0, 500)),
    });
    this.workers.sweepEvery(() => this.sweepLost());
  }

  private async sweepLost(): Promise<number> {
    const stale = await this.repository.stale(new Date(Date.now() - this.config.get('SWEEP_STALE_SECONDS', { infer: true }) * 1000), 100);
    const lost = await jobsToAddAgain(this.importQueue.queue, stale, (id) => id);
    for (const id of lost) await this.imports.enqueue(id);
    await this.repository.touch(lost);
    if (lost.length > 0) {
      this.metrics.sweeperReenqueued.inc({ queue: IMPORT_QUEUE }, lost.length);
      this.logger.warn(`Sweeper re-added ${lost.length} import job(s)`);
    }
    return lost.length;
  }

  onApplicationShutdown(): Promise<void> {
    return this.workers.close();
  }
}
