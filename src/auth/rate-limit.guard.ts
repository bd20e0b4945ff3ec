import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { DomainError } from '../common/domain-error.js';
import { message } from '../common/messages.js';
import type { AppConfig } from '../config/environment.js';
import { REDIS } from '../redis/redis.module.js';

const WINDOW_MS = 60_000;

export class RateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('AUTH.RATE_LIMITED', 429, message('AUTH.RATE_LIMITED', { seconds: retryAfterSeconds }), undefined, { 'retry-after': String(retryAfterSeconds) });
  }
}

/**
 * RATE_LIMIT_PER_MINUTE per API key or token (per IP without one), counted in Redis in fixed
 * one-minute windows so that every API process shares the count. If Redis cannot be reached the
 * request is let through: rate limiting protects the service, it must not take it down.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RateLimitGuard.name);
  private readonly limit: number;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ConfigService<AppConfig, true>,
  ) {
    this.limit = config.get('RATE_LIMIT_PER_MINUTE', { infer: true });
    this.prefix = `${config.get('QUEUE_PREFIX', { infer: true })}:ratelimit`;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.limit === 0) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const key = `${this.prefix}:${trackerOf(request)}:${window}`;
    let count: number;
    try {
      const results = await this.redis.multi().incr(key).pexpire(key, WINDOW_MS * 2).exec();
      count = Number(results?.[0]?.[1] ?? 0);
    } catch (error) {
      this.logger.warn(`Rate limit not checked, Redis unavailable: ${(error as Error).message}`);
      return true;
    }
    const reply = http.getResponse<FastifyReply>();
    void reply.header('x-ratelimit-limit', this.limit).header('x-ratelimit-remaining', Math.max(this.limit - count, 0));
    if (count <= this.limit) return true;
    throw new RateLimitedError(Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
  }
}

/** The credential's hash (never the credential itself), or the client address for anonymous calls. */
function trackerOf(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  return authorization ? `key:${createHash('sha256').update(authorization).digest('base64url')}` : `ip:${request.ip}`;
}
