import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { MetricsService } from './metrics.service.js';

/**
 * A duration histogram for every method of every repository (a provider whose class is named
 * `…Repository`), as immich's server keeps one: where the database's time goes, by the method that
 * asked, without each repository timing itself. Methods that return a promise are timed until it
 * settles; the others (the ledger's statement builders, sent later in a caller's transaction) are
 * left as they are.
 */
@Injectable()
export class RepositoryTimings implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    for (const { instance, metatype } of this.discovery.getProviders()) {
      const repository = metatype?.name;
      if (!instance || typeof instance !== 'object' || !repository?.endsWith('Repository')) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of Object.getOwnPropertyNames(prototype)) {
        const original = Object.getOwnPropertyDescriptor(prototype, method)?.value;
        if (method === 'constructor' || typeof original !== 'function') continue;
        const histogram = this.metrics.repositoryDuration.labels(repository, method);
        Object.defineProperty(instance, method, {
          configurable: true,
          value: function timed(this: unknown, ...args: unknown[]) {
            const started = performance.now();
            const result: unknown = original.apply(this, args);
            if (!(result instanceof Promise)) return result;
            return result.finally(() => histogram.observe((performance.now() - started) / 1000));
          },
        });
      }
    }
  }
}
