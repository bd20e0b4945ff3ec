import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ENDED_JOBS_KEPT, QueueRegistry } from '../queue/queue.module.js';

export const CERTIFICATION_QUEUE = 'certifications';
export const WEBHOOK_QUEUE = 'webhooks';

/** A certification job: retried on unexpected errors; kept as ENDED_JOBS_KEPT says, so that a re-add is a no-op. */
export const CERTIFY_JOB = {
  name: 'certify',
  options: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    ...ENDED_JOBS_KEPT,
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
