import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MetricsAccess } from './metrics-access.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsServer } from './metrics-server.js';
import { MetricsService } from './metrics.service.js';
import { RepositoryTimings } from './repository-timings.js';

/** Global: every capability counts what it does through MetricsService. */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsAccess, MetricsServer, RepositoryTimings],
  exports: [MetricsService],
})
export class MetricsModule {}
