import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { ENTRY_SOURCES } from '../ledger/ledger.types.js';
import { QueueRegistry } from '../queue/queue.module.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;

/** mysql2's pool keeps its connections in these (internal) arrays; read only to report how many are busy. */
interface Mysql2Pool {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  config?: { connectionLimit?: number };
}

/**
 * The process's Prometheus registry (shared/API.md "Processes"): the process defaults, request
 * durations by route template, what the service did (entries, import rows, certifications, webhook
 * deliveries, sweeper re-enqueues), and, read at scrape time, queue jobs by state, the age of each
 * queue's oldest waiting job and the database pool. Every module counts through this one service.
 */
@Injectable()
export class MetricsService implements OnApplicationBootstrap {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly entriesRecorded = new Counter({
    name: 'ce_hour_entries_recorded_total',
    help: 'Ledger entries recorded (committed), by origin; reversals included',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly importRows = new Counter({
    name: 'ce_import_rows_total',
    help: 'Spreadsheet import rows processed, by result (created, replayed, error)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly certifications = new Counter({
    name: 'ce_certifications_total',
    help: 'Certifications finished, by outcome (eligible, ineligible, undetermined, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'ce_webhook_deliveries_total',
    help: 'Webhook delivery attempts (certification callbacks, notifications), by kind and result',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  /** RepositoryTimings wraps every repository method in it. */
  readonly repositoryDuration = new Histogram({
    name: 'ce_repository_duration_seconds',
    help: 'Duration of repository methods (database reads and writes), by repository and method',
    labelNames: ['repository', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly sweeperReenqueued = new Counter({
    name: 'ce_sweeper_reenqueued_total',
    help: 'Jobs a sweeper added again because Redis had lost them, by queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  constructor(
    dataSource: DataSource,
    private readonly queueRegistry: QueueRegistry,
  ) {
    collectDefaultMetrics({ register: this.registry });
    // Every known series from the start, at 0: a rate() or increase() over a series born mid-window reads nothing.
    for (const source of ENTRY_SOURCES) this.entriesRecorded.inc({ source }, 0);
    for (const result of ['created', 'replayed', 'error']) this.importRows.inc({ result }, 0);
    for (const outcome of ['eligible', 'ineligible', 'undetermined', 'failed']) this.certifications.inc({ outcome }, 0);
    for (const kind of ['certification', 'notification']) for (const result of ['success', 'failure']) this.webhookDeliveries.inc({ kind, result }, 0);
    new Gauge({
      name: 'ce_queue_jobs',
      help: 'Jobs in each queue by state (read from Redis at scrape time)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          queueRegistry.all().map(async (queue) => {
            const counts = await queue.getJobCounts(...JOB_STATES).catch(() => null);
            if (counts) for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
    new Gauge({
      name: 'ce_queue_oldest_waiting_age_seconds',
      help: 'Age of the oldest job waiting in each queue (0 when none waits)',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          queueRegistry.all().map(async (queue) => {
            const [oldest] = await queue.getJobs(['wait'], -1, -1, true).catch(() => []);
            this.set({ queue: queue.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
          }),
        );
      },
    });
    new Gauge({
      name: 'ce_db_pool_connections',
      help: 'Database pool connections of this process by state (in_use, idle, limit)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = (dataSource.driver as unknown as { pool?: Mysql2Pool }).pool;
        const all = pool?._allConnections?.length ?? 0;
        const idle = pool?._freeConnections?.length ?? 0;
        this.set({ state: 'in_use' }, all - idle);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'limit' }, pool?.config?.connectionLimit ?? 0);
      },
    });
  }

  /** The sweeper series of every queue the modules created (they exist once every module is up), at 0. */
  onApplicationBootstrap(): void {
    for (const queue of this.queueRegistry.all()) this.sweeperReenqueued.inc({ queue: queue.name }, 0);
  }
}
