import type { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Job, Worker } from 'bullmq';
import { redactQuoted } from '../common/log-redaction.js';
import type { AppConfig } from '../config/environment.js';
import { queueConnection, queuePrefix } from '../redis/redis-connection.js';

const CLOSE_GRACE_MS = 3000;

/** One queue's worker: what runs a job, how many at once, and what is recorded when a job has used its last attempt. */
export interface WorkerSpec<D> {
  queue: string;
  concurrency: number;
  process: (job: Job<D>) => Promise<unknown>;
  gaveUp?: (job: Job<D>, error: Error) => Promise<unknown>;
}

/**
 * The lifecycle a module's workers share, in a process that runs workers: BullMQ workers on the
 * queue prefix and worker connection, a sweeper that re-adds what Redis lost (MySQL is the system of
 * record), and a shutdown that stops fetching, finishes the jobs held, and does not hang on a
 * reconnecting Redis.
 */
export class ModuleWorkers {
  private readonly workers: Worker[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private sweeper?: NodeJS.Timeout;
  private sweeping: Promise<unknown> = Promise.resolve();
  private sweepBusy = false;

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    private readonly logger: Logger,
  ) {}

  start<D>(spec: WorkerSpec<D>): void {
    const lockDuration = this.config.get('WORKER_LOCK_MS', { infer: true });
    const worker = new Worker<D>(spec.queue, (job) => this.track(spec.process(job)), {
      prefix: queuePrefix(this.config),
      // Workers wait for Redis while it is away, and carry on by themselves when it is back.
      connection: queueConnection(this.config, 'worker'),
      concurrency: spec.concurrency,
      lockDuration,
      stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
    });
    worker.on('error', (error) => this.logger.warn(`Worker ${spec.queue}: ${redactQuoted(error.message)}`));
    worker.on('failed', (job, error) => {
      if (!spec.gaveUp || !job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      void spec.gaveUp(job, error).catch((cause: Error) => this.logger.error(`Recording a failed ${spec.queue} job: ${redactQuoted(cause.message)}`));
    });
    this.workers.push(worker);
  }

  /** Sweeps every SWEEP_INTERVAL_SECONDS; a sweep still running when the next is due makes it skip. */
  sweepEvery(sweep: () => Promise<number>): void {
    const interval = this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true }) * 1000;
    this.sweeper = setInterval(() => {
      if (!this.sweepBusy) void this.sweepNow(sweep);
    }, interval);
    this.logger.log(`Workers running: ${this.workers.map((w) => w.name).join(', ')}; sweeping every ${interval / 1000} s`);
  }

  /** One sweep, after any running one: what it re-added, 0 when it failed (logged; the next one tries again). */
  sweepNow(sweep: () => Promise<number>): Promise<number> {
    const next = this.sweeping.then(async () => {
      this.sweepBusy = true;
      try {
        return await sweep();
      } catch (error) {
        this.logger.warn(`Sweep skipped: ${redactQuoted((error as Error).message)}`);
        return 0;
      } finally {
        this.sweepBusy = false;
      }
    });
    this.sweeping = next;
    return next;
  }

  /**
   * Workers stop fetching at once and finish the jobs they hold. BullMQ's close can then hang on a
   * Redis client that is still reconnecting (taskforcesh/bullmq#4656, seen after a Redis restart),
   * so it is waited for only CLOSE_GRACE_MS once the jobs are done.
   */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const closing = Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.allSettled([...this.running]);
    const closed = await Promise.race([closing.then(() => true), sleep(CLOSE_GRACE_MS, false, { ref: false })]);
    if (!closed) this.logger.warn(`Queue connections did not close within ${CLOSE_GRACE_MS} ms after the last job; leaving them`);
  }

  /** Keeps the jobs this process runs, so that close() can wait for them itself. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }
}
