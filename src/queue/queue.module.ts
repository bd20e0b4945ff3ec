import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import type { AppConfig } from '../config/environment.js';
import { queueConnection, queuePrefix } from '../redis/redis-connection.js';

/**
 * The queues of this process. Each module creates its own here (the producer side, in every
 * process): what the metrics report, the queue dashboard shows, the tests clean up and shutdown closes.
 */
@Injectable()
export class QueueRegistry implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  create(name: string): Queue {
    // One module owns a queue: a second one of the same name would go unclosed and unreported.
    if (this.queues.has(name)) throw new Error(`The queue ${name} exists already`);
    const queue = new Queue(name, {
      prefix: queuePrefix(this.config),
      // No offline queue: while Redis is down an add fails at once instead of hanging a request.
      connection: queueConnection(this.config, 'producer'),
    });
    queue.on('error', () => undefined); // reconnects by itself
    this.queues.set(name, queue);
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
  }
}

/** How long ended jobs stay in Redis: a day once completed (adding one again under its jobId is a no-op meanwhile), a week once failed. */
export const ENDED_JOBS_KEPT = { removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } } as const;

@Global()
@Module({ providers: [QueueRegistry], exports: [QueueRegistry] })
export class QueueModule {}

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
