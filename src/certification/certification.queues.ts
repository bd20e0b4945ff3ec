import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueRegistry } from '../queue/queue.module.js';

export const CERTIFICATION_QUEUE = 'certifications';
export const WEBHOOK_QUEUE = 'webhooks';

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

/** The certification and webhook queues (producer side, every process). */
@Injectable()
export class CertificationQueues {
  readonly certifications: Queue;
  readonly webhooks: Queue;

  constructor(registry: QueueRegistry) {
    this.certifications = registry.create(CERTIFICATION_QUEUE);
    this.webhooks = registry.create(WEBHOOK_QUEUE);
  }
}
