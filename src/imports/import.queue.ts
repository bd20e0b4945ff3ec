import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ENDED_JOBS_KEPT, QueueRegistry } from '../queue/queue.module.js';

export const IMPORT_QUEUE = 'imports';

/** The imports queue (producer side, every process): a job's id is its import's id. */
@Injectable()
export class ImportQueue {
  readonly queue: Queue;

  constructor(registry: QueueRegistry) {
    this.queue = registry.create(IMPORT_QUEUE);
  }

  /** One job per import (its id the import's): adding it again while it is kept is a no-op. */
  async add(importId: string): Promise<void> {
    await this.queue.add('import', { importId }, { jobId: importId, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, ...ENDED_JOBS_KEPT });
  }
}
