import { chunk } from '../database/transactions.js';
import { CERTIFY_JOB } from './certification.queues.js';

/**
 * How many certifications of one submission a job carries: the steps of the certifications a
 * worker runs together share one statement each (see CertificationProcessor).
 */
export const CERTIFICATIONS_PER_JOB = 100;

export interface CertifyJobData {
  certificationIds: string[];
}

/**
 * The jobs for these certifications of one submission: runs of their ids in sorted order, each job
 * identified by the id of its first certification. The sweeper rebuilds the same jobs from a
 * roster's ids, so that a job Redis lost is added again under its own jobId.
 */
export function certifyJobs(ids: readonly string[]) {
  return chunk([...ids].sort(), CERTIFICATIONS_PER_JOB).map((certificationIds) => ({
    name: CERTIFY_JOB.name,
    data: { certificationIds } satisfies CertifyJobData,
    opts: { ...CERTIFY_JOB.options, jobId: certificationIds[0] },
  }));
}
