import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HoursCertificateEntity } from './hours-certificate.entity.js';
import { CertificationStoreModule } from '../certification/certification-store.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { HoursCertificatesController, VerificationController } from './hours-certificates.controller.js';
import { HoursCertificatesRepository } from './hours-certificates.repository.js';
import { HoursCertificatesService } from './hours-certificates.service.js';
import { VerificationService } from './verification.service.js';
import { VerifyRateLimitGuard } from './verify-rate-limit.guard.js';

@Module({
  imports: [TypeOrmModule.forFeature([HoursCertificateEntity]), LedgerModule, CertificationStoreModule],
  controllers: [HoursCertificatesController, VerificationController],
  providers: [HoursCertificatesRepository, HoursCertificatesService, VerificationService, VerifyRateLimitGuard],
})
export class HoursCertificatesModule {}
