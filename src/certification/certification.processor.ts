import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { createHash } from 'node:crypto';
import { CertificationQueues, WEBHOOK_JOB } from './certification.queues.js';
import type { EntryFact } from '../ledger/ledger.repository.js';
import { type CertificationSnapshot, LedgerService } from '../ledger/ledger.service.js';
import { type EligibilityRequest, evaluate } from '../rules/engine/index.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RuleSetsService } from '../rules/rule-sets.service.js';
import { CERTIFICATIONS_PER_JOB } from './certification.jobs.js';
import { type CertificationRow, type CompletedCertification, CertificationRepository } from './certification.repository.js';
import { SigningService } from './signing.service.js';

export type ProcessOutcome = 'completed' | 'already_done' | 'missing';

/** SHA-256 over the entries a certification read, one line each, in id order. */
export function ledgerDigest(entries: readonly EntryFact[]): Buffer {
  const hash = createHash('sha256');
  for (const entry of entries) hash.update(`${entry.id}|${entry.category}|${entry.hoursTenths}|${entry.completedOn}\n`);
  return hash.digest();
}

export const webhookJobId = (certificationId: string) => `webhook-${certificationId}`;

export interface WebhookJobOptions {
  attempts: number;
  backoffMs: number;
}

/**
 * The certifications of a job (up to CERTIFICATIONS_PER_JOB), and of the jobs a worker runs at once,
 * reach each step together: their reads and writes go to MySQL as one statement per step.
 */
const TOGETHER = { cache: false, maxBatchSize: CERTIFICATIONS_PER_JOB } as const;

/**
 * The certification job. Idempotent, as BullMQ delivers at least once: a run that finds its row
 * completed changes nothing, and of two concurrent runs only the first stores its result.
 */
@Injectable()
export class CertificationProcessor {
  private readonly claims: DataLoader<string, CertificationRow | null>;
  private readonly snapshots: DataLoader<Buffer, CertificationSnapshot>;
  private readonly completions: DataLoader<CompletedCertification & { id: string }, boolean>;

  constructor(
    certifications: CertificationRepository,
    ledger: LedgerService,
    private readonly ruleSets: RuleSetsService,
    private readonly signing: SigningService,
    private readonly queues: CertificationQueues,
    private readonly metrics: MetricsService,
  ) {
    this.claims = new DataLoader(async (ids) => {
      const rows = new Map((await certifications.claim(ids)).map((row) => [row.id, row]));
      return ids.map((id) => rows.get(id) ?? null);
    }, TOGETHER);
    this.snapshots = new DataLoader((personKeys) => ledger.certificationSnapshots(personKeys), TOGETHER);
    this.completions = new DataLoader((results) => certifications.complete(results), TOGETHER);
  }

  /**
   * A job's certifications, together. If any fails the job fails, and its retry redoes only those
   * still open; after the last attempt the worker marks them failed.
   */
  async processAll(certificationIds: readonly string[], webhook: WebhookJobOptions): Promise<ProcessOutcome[]> {
    const results = await Promise.allSettled(certificationIds.map((id) => this.process(id, webhook)));
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    return results.map((result) => (result as PromiseFulfilledResult<ProcessOutcome>).value);
  }

  async process(certificationId: string, webhook: WebhookJobOptions): Promise<ProcessOutcome> {
    const row = await this.claims.load(certificationId);
    if (!row) return 'missing';
    if (row.status === 'completed' || row.status === 'failed') {
      // The job may have died after storing its result but before handing over the webhook.
      if (row.status === 'completed' && row.callbackUrl) await this.enqueueWebhook(certificationId, webhook).catch(() => undefined);
      return 'already_done';
    }

    const { idNumberMasked, ...request } = JSON.parse(row.request) as EligibilityRequest & { idNumberMasked: string };
    const ruleSet = this.ruleSets.inForce(request.city, request.applicationYear);
    const { totals, entries } = await this.snapshots.load(row.personKey);
    const decision = evaluate(ruleSet, request, totals);
    const digest = ledgerDigest(entries);
    const evaluatedAt = new Date();
    const certificate = this.signing.sign(
      {
        certificationId,
        subject: { idNumberMasked, idNumberHmac: row.personKey.toString('base64url') },
        request,
        decision,
        ledgerDigest: { alg: 'SHA-256', value: digest.toString('hex'), entries: entries.length },
        evaluatedAt: evaluatedAt.toISOString(),
      },
      certificationId,
    );
    const stored = await this.completions.load({
      id: certificationId,
      decision: JSON.stringify(decision),
      decisionOutcome: decision.decision,
      ruleSetId: ruleSet.id,
      ledgerDigest: digest,
      certificate,
      completedAt: evaluatedAt,
      hasCallback: row.callbackUrl !== null,
    });
    if (!stored) return 'already_done';
    this.metrics.certifications.inc({ outcome: decision.decision });
    if (row.callbackUrl) await this.enqueueWebhook(certificationId, webhook).catch(() => undefined);
    return 'completed';
  }

  /**
   * One webhook job per certification (jobId dedups), retried with exponential backoff on its own
   * queue. Its outbox row is written already: if Redis refuses the job, the sweeper adds it later.
   */
  async enqueueWebhook(certificationId: string, options: WebhookJobOptions): Promise<void> {
    await this.queues.webhooks.add(
      WEBHOOK_JOB,
      { certificationId },
      {
        jobId: webhookJobId(certificationId),
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    );
  }
}
