import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createServer, type Server } from 'node:http';
import type { AppConfig } from '../config/environment.js';
import { MetricsAccess } from './metrics-access.js';
import { MetricsService } from './metrics.service.js';

/**
 * With METRICS_PORT set, the same metrics on their own port: how a worker process (which serves no
 * HTTP API) is scraped. Same token rule as GET /metrics.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    private readonly access: MetricsAccess,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.get('METRICS_PORT', { infer: true });
    if (!port) return;
    this.server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') return void response.writeHead(404).end();
      if (!this.access.allows(request.headers.authorization)) return void response.writeHead(401).end();
      this.metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(port, this.config.get('HOST', { infer: true }), resolve));
    this.logger.log(`Metrics on port ${port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
