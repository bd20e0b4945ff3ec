import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/environment.js';
import { createRedisClient } from './redis-connection.js';

export const REDIS = Symbol('REDIS');

/** Closes the shared connection when the application shuts down. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * One ioredis connection (or cluster client, with REDIS_CLUSTER_NODES) for the API process's own commands (readiness, rate limits).
 * No offline queue: while Redis is down a command fails at once instead of hanging.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const logger = new Logger('Redis');
        // A Cluster answers the same commands; typed as Redis for the single-key commands the service sends.
        // Auto-pipelining: the commands of one event-loop turn (a GET of the failed-authentication count for each
        // request that arrived together) go in one write: 6–8 % more single posts a second (docs/BENCHMARKS.md).
        const redis = createRedisClient(config, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, enableAutoPipelining: true }) as Redis;
        // ioredis reconnects by itself; without a listener each failure would be an unhandled error.
        redis.on('error', (error: Error) => logger.warn(`Redis connection: ${error.message}`));
        return redis;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
