import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/**
 * RATE_LIMIT_PER_MINUTE per API key or token across all routes (the default guard counts per
 * route and per IP). Anonymous calls are counted per IP.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, any>): Promise<string> {
    const authorization: unknown = request.headers?.authorization;
    return typeof authorization === 'string' && authorization.length > 0
      ? `key:${createHash('sha256').update(authorization).digest('base64url')}`
      : `ip:${request.ip}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
