import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { PiiService } from '../common/pii.service';
import type { AppConfig } from '../config/environment';
import { ApiClientsRepository } from './api-clients.repository';
import { ApplicantTokensService } from './applicant-tokens.service';
import { AuthGuard } from './auth.guard';
import { RateLimitGuard } from './rate-limit.guard';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        secret: config.get('APPLICANT_JWT_SECRET', { infer: true }),
        signOptions: { algorithm: 'HS256' },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const limit = config.get('RATE_LIMIT_PER_MINUTE', { infer: true });
        return { throttlers: [{ ttl: 60_000, limit: Math.max(limit, 1) }], skipIf: () => limit === 0 };
      },
    }),
  ],
  providers: [
    PiiService,
    ApiClientsRepository,
    ApplicantTokensService,
    // Rate limiting first, so that guessing credentials is throttled too.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [PiiService, ApiClientsRepository, ApplicantTokensService],
})
export class AuthModule {}
