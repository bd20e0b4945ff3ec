import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import type { AppConfig } from '../config/environment.js';
import { queueConnection, queuePrefix } from '../redis/redis-connection.js';

export const CERTIFICATION_QUEUE = 'certifications';
export const WEBHOOK_QUEUE = 'webhooks';
export const IMPORT_QUEUE = 'imports';
export const NOTIFICATION_QUEUE = 'notifications';
export const QUEUE_NAMES = [CERTIFICATION_QUEUE, WEBHOOK_QUEUE, IMPORT_QUEUE, NOTIFICATION_QUEUE] as const;

/**
 * Every queue this process's modules created (each module creates and registers its own): what the
 * metrics report, the queue dashboard shows and the tests clean up.
 */
@Injectable()
export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();

  register(queue: Queue): void {
    this.queues.set(queue.name, queue);
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }
}

/** The producer side of the certification, webhook and import queues, for every process. */
@Injectable()
export class Queues implements OnApplicationShutdown {
  readonly certifications: Queue;
  readonly webhooks: Queue;
  readonly imports: Queue;

  constructor(config: ConfigService<AppConfig, true>, registry: QueueRegistry) {
    const options = {
      prefix: queuePrefix(config),
      // No offline queue: while Redis is down an add fails at once instead of hanging a request.
      connection: queueConnection(config, 'producer'),
    };
    this.certifications = new Queue(CERTIFICATION_QUEUE, options);
    this.webhooks = new Queue(WEBHOOK_QUEUE, options);
    this.imports = new Queue(IMPORT_QUEUE, options);
    for (const queue of this.all()) {
      queue.on('error', () => undefined); // reconnects by itself
      registry.register(queue);
    }
  }

  all(): Queue[] {
    return [this.certifications, this.webhooks, this.imports];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
  }
}

@Global()
@Module({ providers: [QueueRegistry, Queues], exports: [QueueRegistry, Queues] })
export class QueueModule {}

/** A certification job: retried on unexpected errors; kept a day after completion so a re-add is a no-op. */
export const CERTIFY_JOB = {
  name: 'certify',
  options: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
} as const;

export const WEBHOOK_JOB = 'deliver';

/**
 * Of rows still open, those whose job Redis no longer runs: unknown to it (lost with a restart or a
 * flush), or ended while the row stayed open (removed here, so that the same jobId can be added again).
 * What the sweepers add back.
 */
export async function jobsToAddAgain<T>(queue: Queue, items: readonly T[], jobIdOf: (item: T) => string): Promise<T[]> {
  const lost: T[] = [];
  for (const item of items) {
    const state = await queue.getJobState(jobIdOf(item));
    if (state === 'completed' || state === 'failed') await queue.remove(jobIdOf(item));
    if (state === 'unknown' || state === 'completed' || state === 'failed') lost.push(item);
  }
  return lost;
}
