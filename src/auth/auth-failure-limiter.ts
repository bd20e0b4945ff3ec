import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/environment.js';
import { REDIS } from '../redis/redis.module.js';
import { RateLimitedError } from './rate-limit.guard.js';

const WINDOW_MS = 60_000;

/**
 * AUTH_FAILURES_PER_MINUTE wrong credentials per client address, counted in Redis in fixed
 * one-minute windows so that every API process shares the count; past it, 429 with Retry-After,
 * before the credential is looked up. If Redis cannot be reached, nothing is counted or refused.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly logger = new Logger(AuthFailureLimiter.name);
  private readonly limit: number;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ConfigService<AppConfig, true>,
  ) {
    this.limit = config.get('AUTH_FAILURES_PER_MINUTE', { infer: true });
    this.prefix = `${config.get('QUEUE_PREFIX', { infer: true })}:authfail`;
  }

  private window() {
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    return { window, retryAfter: Math.ceil(((window + 1) * WINDOW_MS - now) / 1000) };
  }

  async assertNotBlocked(address: string): Promise<void> {
    const { window, retryAfter } = this.window();
    let count: number;
    try {
      count = Number((await this.redis.get(`${this.prefix}:${address}:${window}`)) ?? 0);
    } catch (error) {
      this.logger.warn(`Failed authentications not checked, Redis unavailable: ${(error as Error).message}`);
      return;
    }
    if (count >= this.limit) throw new RateLimitedError(retryAfter);
  }

  async record(address: string): Promise<void> {
    const { window } = this.window();
    const key = `${this.prefix}:${address}:${window}`;
    try {
      await this.redis.multi().incr(key).pexpire(key, WINDOW_MS * 2).exec();
    } catch (error) {
      this.logger.warn(`Failed authentication not counted, Redis unavailable: ${(error as Error).message}`);
    }
  }
}
