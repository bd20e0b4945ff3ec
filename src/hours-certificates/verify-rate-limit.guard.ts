import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '../auth/rate-limit.guard.js';
import type { AppConfig } from '../config/environment.js';
import { REDIS } from '../redis/redis.module.js';

const WINDOW_MS = 60_000;

/**
 * VERIFY_RATE_LIMIT_PER_MINUTE look-ups of verification codes per client address (its own limit,
 * whatever RATE_LIMIT_PER_MINUTE says), counted in Redis so that every process shares the count:
 * 128-bit codes cannot be guessed, and this keeps anyone from trying.
 */
@Injectable()
export class VerifyRateLimitGuard implements CanActivate {
  private readonly logger = new Logger(VerifyRateLimitGuard.name);
  private readonly limit: number;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ConfigService<AppConfig, true>,
  ) {
    this.limit = config.get('VERIFY_RATE_LIMIT_PER_MINUTE', { infer: true });
    this.prefix = `${config.get('QUEUE_PREFIX', { infer: true })}:verifylimit`;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const key = `${this.prefix}:${request.ip}:${window}`;
    let count: number;
    try {
      const results = await this.redis.multi().incr(key).pexpire(key, WINDOW_MS * 2).exec();
      count = Number(results?.[0]?.[1] ?? 0);
    } catch (error) {
      this.logger.warn(`Verification rate limit not checked, Redis unavailable: ${(error as Error).message}`);
      return true;
    }
    void context.switchToHttp().getResponse<FastifyReply>().header('x-ratelimit-limit', this.limit).header('x-ratelimit-remaining', Math.max(this.limit - count, 0));
    if (count <= this.limit) return true;
    throw new RateLimitedError(Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
  }
}
