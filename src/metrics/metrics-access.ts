import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/environment.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Who may scrape: anyone without METRICS_TOKEN (development), else only its bearer (compared in constant time). */
@Injectable()
export class MetricsAccess {
  private readonly token: Buffer | null;

  constructor(config: ConfigService<AppConfig, true>) {
    const token = config.get('METRICS_TOKEN', { infer: true });
    this.token = token ? digest(token) : null;
  }

  allows(authorization: string | undefined): boolean {
    if (!this.token) return true;
    const match = /^Bearer (.+)$/.exec(authorization ?? '');
    return Boolean(match) && timingSafeEqual(digest(match![1]), this.token);
  }
}
