import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CertificationBatchEntity, CertificationEntity, SigningKeyEntity, WebhookDeliveryEntity, WebhookOutboxEntity } from './certification.entity.js';
import { CertificationRepository } from './certification.repository.js';
import { SigningService } from './signing.service.js';

/** The certifications' rows and the signing keys: one instance, shared by certification and by the printed certificates. */
@Module({
  imports: [TypeOrmModule.forFeature([CertificationEntity, CertificationBatchEntity, WebhookDeliveryEntity, WebhookOutboxEntity, SigningKeyEntity])],
  providers: [CertificationRepository, SigningService],
  exports: [CertificationRepository, SigningService],
})
export class CertificationStoreModule {}
