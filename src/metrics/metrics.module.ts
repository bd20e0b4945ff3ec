import { Global, Module } from '@nestjs/common';
import { MetricsAccess } from './metrics-access.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsServer } from './metrics-server.js';
import { MetricsService } from './metrics.service.js';

/** Global: every capability counts what it does through MetricsService. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, MetricsAccess, MetricsServer],
  exports: [MetricsService],
})
export class MetricsModule {}
