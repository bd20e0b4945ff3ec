import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ce-signature';
export const TIMESTAMP_HEADER = 'x-ce-timestamp';

/** `v1=` HMAC-SHA256 over `<timestamp>.<body>` with the receiver's secret, hex: how every webhook this service sends is signed. */
export const webhookSignature = (secret: string, timestamp: string, body: string): string =>
  `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** Why a connection failed, in a line (the code where there is one), without anything the receiver said. */
export function describeFailure(cause: unknown): string {
  const { code, message, name } = cause as { code?: unknown; message?: unknown; name?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  return typeof code === 'string' ? `${code}: ${String(message)}` : String(message);
}
