import { Module } from '@nestjs/common';
import { CertificationRepository } from './certification.repository.js';
import { SigningService } from './signing.service.js';

/** The certifications' rows and the signing keys: one instance, shared by certification and by the printed certificates. */
@Module({
  providers: [CertificationRepository, SigningService],
  exports: [CertificationRepository, SigningService],
})
export class CertificationStoreModule {}
