import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job, Queue } from 'bullmq';
import { request } from 'undici';
import { describeFailure, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from '../common/webhooks.js';
import type { AppConfig } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ModuleWorkers } from '../queue/module-workers.js';
import { ENDED_JOBS_KEPT, jobsToAddAgain, QueueRegistry } from '../queue/queue.module.js';
import { ActivitiesRepository } from './activities.repository.js';


export const NOTIFICATION_QUEUE = 'notifications';

/**
 * The notifications queue of this module (producer side, every process). A job's id is its outbox
 * row's id, so that a job added twice (by the request and by the sweeper) runs once.
 */
@Injectable()
export class NotificationQueue {
  readonly queue: Queue;
  private readonly options: { attempts: number; backoff: { type: 'exponential'; delay: number } };

  constructor(config: ConfigService<AppConfig, true>, registry: QueueRegistry) {
    this.queue = registry.create(NOTIFICATION_QUEUE);
    this.options = { attempts: config.get('WEBHOOK_MAX_ATTEMPTS', { infer: true }), backoff: { type: 'exponential', delay: config.get('WEBHOOK_BACKOFF_MS', { infer: true }) } };
  }

  /** Best effort: the row is written already, and the sweeper adds what Redis refused or lost. */
  async add(ids: string[]): Promise<void> {
    await Promise.all(
      ids.map((id) =>
        this.queue
          .add('notify', { notificationId: id }, { ...this.options, ...ENDED_JOBS_KEPT, jobId: id })
          .catch(() => undefined),
      ),
    );
  }
}

/**
 * Delivers status changes to NOTIFY_WEBHOOK_URL, signed like certification callbacks (x-ce-signature
 * over `<timestamp>.<body>` with NOTIFY_WEBHOOK_SECRET; x-ce-delivery is the same on every attempt),
 * retried with backoff; and sweeps pending rows whose jobs Redis lost.
 */
@Injectable()
export class NotificationWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationWorkers.name);
  private readonly workers: ModuleWorkers;

  constructor(
    private readonly activities: ActivitiesRepository,
    private readonly notifications: NotificationQueue,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly metrics: MetricsService,
  ) {
    this.workers = new ModuleWorkers(config, this.logger);
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('NOTIFY_WEBHOOK_URL', { infer: true })) return;
    this.workers.start({
      queue: NOTIFICATION_QUEUE,
      concurrency: 4,
      process: (job: Job<{ notificationId: string }>) => this.deliver(job.data.notificationId, job.attemptsMade + 1),
      gaveUp: (job) => this.activities.settleNotification(job.data.notificationId, 'failed', job.attemptsMade),
    });
    this.workers.sweepEvery(() => this.sweepLost());
  }

  async deliver(notificationId: string, attempt: number): Promise<void> {
    const row = await this.activities.notification(notificationId);
    if (!row || row.status !== 'pending') return; // delivered or given up already
    const timestamp = String(Math.floor(Date.now() / 1000));
    let error: string | null = null;
    try {
      const response = await request(this.config.get('NOTIFY_WEBHOOK_URL', { infer: true })!, {
        method: 'POST',
        signal: AbortSignal.timeout(this.config.get('WEBHOOK_TIMEOUT_MS', { infer: true })),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ce-ledger-notifications/1',
          'x-ce-delivery': row.id,
          'x-ce-attempt': String(attempt),
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: webhookSignature(this.config.get('NOTIFY_WEBHOOK_SECRET', { infer: true })!, timestamp, row.payload),
        },
        body: row.payload,
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode >= 300) error = `HTTP ${response.statusCode}`;
    } catch (cause) {
      error = describeFailure(cause);
    }
    this.metrics.webhookDeliveries.inc({ kind: 'notification', result: error === null ? 'success' : 'failure' });
    if (error !== null) {
      await this.activities.recordNotificationAttempt(row.id, attempt);
      throw new Error(`Notification ${row.id} attempt ${attempt} failed: ${error}`);
    }
    await this.activities.settleNotification(row.id, 'delivered', attempt);
  }

  /** One sweep, after any sweep running in this process: how many notifications it queued again. */
  sweep(): Promise<number> {
    return this.workers.sweepNow(() => this.sweepLost());
  }

  /** Re-adds the jobs of pending notifications not touched for SWEEP_STALE_SECONDS whose jobs are gone. */
  private async sweepLost(): Promise<number> {
    const stale = await this.activities.staleNotifications(new Date(Date.now() - this.config.get('SWEEP_STALE_SECONDS', { infer: true }) * 1000), 100);
    const lost = await jobsToAddAgain(this.notifications.queue, stale, (id) => id);
    await this.notifications.add(lost);
    await this.activities.touchNotifications(lost);
    if (lost.length > 0) {
      this.metrics.sweeperReenqueued.inc({ queue: NOTIFICATION_QUEUE }, lost.length);
      this.logger.warn(`Sweeper re-added ${lost.length} notification job(s)`);
    }
    return lost.length;
  }

  onApplicationShutdown(): Promise<void> {
    return this.workers.close();
  }
}
