import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PiiService } from '../common/pii.service.js';
import type { AppConfig } from '../config/environment.js';
import { ApiClientsRepository } from './api-clients.repository.js';
import { ApplicantTokensService } from './applicant-tokens.service.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { AuthGuard } from './auth.guard.js';
import { Caller } from './caller.js';
import { Authenticator } from './authenticator.service.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { SessionsModule } from '../sessions/sessions.module.js';

@Global()
@Module({
  imports: [
    SessionsModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        // A KeyObject, not the string: jsonwebtoken otherwise first tries (and fails) to parse the
        // string as a PEM public key on every verification, a third of a ledger read's CPU time.
        secret: createSecretKey(Buffer.from(config.get('APPLICANT_JWT_SECRET', { infer: true }))),
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  providers: [
    PiiService,
    ApiClientsRepository,
    ApplicantTokensService,
    Authenticator,
    AuthFailureLimiter,
    Caller,
    // Rate limiting first, so that guessing credentials is throttled too.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [PiiService, ApiClientsRepository, ApplicantTokensService, Authenticator, Caller],
})
export class AuthModule {}
