import { CERTIFICATIONS_PER_JOB, certifyJobs } from '../../src/certification/certification.jobs.js';

describe('certification jobs', () => {
  const ids = Array.from({ length: 250 }, (_, i) => `01a201d5-0000-7000-8000-${String(i).padStart(12, '0')}`);

  it('carry up to 100 certifications each, in id order, named by their first id', () => {
    const jobs = certifyJobs([...ids].reverse());
    expect(jobs.map((job) => job.data.certificationIds.length)).toEqual([CERTIFICATIONS_PER_JOB, CERTIFICATIONS_PER_JOB, 50]);
    expect(jobs.flatMap((job) => job.data.certificationIds)).toEqual(ids);
    expect(jobs.map((job) => job.opts.jobId)).toEqual([ids[0], ids[100], ids[200]]);
    expect(jobs.every((job) => job.name === 'certify' && job.opts.attempts === 3)).toBe(true);
  });

  it('are the same jobs whenever they are rebuilt from the same ids (what the sweeper relies on)', () => {
    expect(certifyJobs(ids)).toEqual(certifyJobs([...ids].sort(() => Math.random() - 0.5)));
  });

  it('make a single certification a job of its own, named by its id', () => {
    expect(certifyJobs([ids[7]])).toEqual([expect.objectContaining({ data: { certificationIds: [ids[7]] }, opts: expect.objectContaining({ jobId: ids[7] }) })]);
  });
});
