import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiClientsRepository } from '../auth/api-clients.repository.js';
import { newId } from '../common/ids.js';
import { describeFailure, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from '../common/webhooks.js';
import { PiiService } from '../common/pii.service.js';
import type { AppConfig } from '../config/environment.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { request } from 'undici';
import { CallbackPolicy } from './callback-policy.js';
import { CertificationRepository } from './certification.repository.js';
import { toView } from './certification.service.js';

/**
 * POSTs a completed certification to its callbackUrl, signed, from its outbox row. Every attempt is
 * recorded (status and error, never the response body); a failed one throws, so that BullMQ retries
 * it with exponential backoff until the attempts run out. Redirects are not followed, and the
 * connection goes only to public addresses unless the host is allowed (CallbackPolicy).
 */
@Injectable()
export class WebhookDeliverer {
  private readonly timeoutMs: number;

  constructor(
    private readonly certifications: CertificationRepository,
    private readonly clients: ApiClientsRepository,
    private readonly pii: PiiService,
    private readonly policy: CallbackPolicy,
    private readonly metrics: MetricsService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.timeoutMs = config.get('WEBHOOK_TIMEOUT_MS', { infer: true });
  }

  async deliver(certificationId: string, attempt: number): Promise<void> {
    const outbox = await this.certifications.outboxEntry(certificationId);
    if (!outbox || outbox.status !== 'pending') return; // delivered (or given up) already: at-least-once, not more
    const row = await this.certifications.find(certificationId);
    if (!row?.callbackUrl || row.status !== 'completed') return;
    const cipher = await this.clients.webhookSecretCipher(row.clientId);
    if (!cipher) return;

    const body = JSON.stringify(toView(row));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await request(row.callbackUrl, {
        method: 'POST',
        dispatcher: this.policy.dispatcher,
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ce-ledger-webhooks/1',
          'x-ce-delivery': outbox.deliveryId,
          'x-ce-attempt': String(attempt),
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: webhookSignature(this.pii.decrypt(cipher), timestamp, body),
        },
        body,
      });
      statusCode = response.statusCode;
      await response.body.dump(); // the receiver's answer is read past, never kept
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (cause) {
      error = describeFailure(cause);
    }
    this.metrics.webhookDeliveries.inc({ kind: 'certification', result: error === null ? 'success' : 'failure' });
    await this.certifications.recordDelivery({
      id: newId(),
      certificationId,
      attempt,
      statusCode,
      succeeded: error === null,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    if (error !== null) throw new Error(`Webhook delivery ${attempt} for ${certificationId} failed: ${error}`);
    await this.certifications.settleOutbox(certificationId, 'delivered');
  }
}
