import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHmac } from 'node:crypto';
import { ApiClientsRepository } from '../auth/api-clients.repository.js';
import { newId } from '../common/ids.js';
import { PiiService } from '../common/pii.service.js';
import type { AppConfig } from '../config/environment.js';
import { CertificationRepository } from './certification.repository.js';
import { toView } from './certification.service.js';

export const SIGNATURE_HEADER = 'x-ce-signature';
export const TIMESTAMP_HEADER = 'x-ce-timestamp';

/** `v1=` HMAC-SHA256 over `<timestamp>.<body>` with the client's webhook secret, hex. */
export const webhookSignature = (secret: string, timestamp: string, body: string): string =>
  `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/**
 * POSTs a completed certification to its callbackUrl, signed. Every attempt is recorded; a failed
 * one throws, so that BullMQ retries it with exponential backoff until the attempts run out.
 */
@Injectable()
export class WebhookDeliverer {
  private readonly timeoutMs: number;

  constructor(
    private readonly certifications: CertificationRepository,
    private readonly clients: ApiClientsRepository,
    private readonly pii: PiiService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.timeoutMs = config.get('WEBHOOK_TIMEOUT_MS', { infer: true });
  }

  async deliver(certificationId: string, attempt: number): Promise<void> {
    const row = await this.certifications.find(certificationId);
    if (!row?.callbackUrl || row.status !== 'completed') return;
    const cipher = await this.clients.webhookSecretCipher(row.clientId);
    if (!cipher) return;

    const body = JSON.stringify(toView(row));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const deliveryId = newId();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(row.callbackUrl, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ce-ledger-webhooks/1',
          'x-ce-delivery': deliveryId,
          'x-ce-attempt': String(attempt),
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: webhookSignature(this.pii.decrypt(cipher), timestamp, body),
        },
        body,
      });
      statusCode = response.status;
      await response.body?.cancel();
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (cause) {
      error = (cause as Error).message;
    }
    await this.certifications.recordDelivery({
      id: deliveryId,
      certificationId,
      attempt,
      statusCode,
      succeeded: error === null,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    if (error !== null) throw new Error(`Webhook delivery ${attempt} for ${certificationId} failed: ${error}`);
  }
}
