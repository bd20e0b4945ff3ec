import { DynamicModule, Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { CallbackPolicy } from './callback-policy.js';
import { CertificationStoreModule } from './certification-store.module.js';
import { CertificationController, JwksController, SigningKeysController } from './certification.controller.js';
import { CertificationProcessor } from './certification.processor.js';
import { CertificationService } from './certification.service.js';
import { CertificationQueues } from './certification.queues.js';
import { CertificationWorkers } from './certification.workers.js';
import { WebhookDeliverer } from './webhook.deliverer.js';

@Module({})
export class CertificationModule {
  /** With workers the process also consumes the queues; without, it only submits and reads. */
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: CertificationModule,
      imports: [LedgerModule, RulesModule, CertificationStoreModule],
      controllers: [CertificationController, JwksController, SigningKeysController],
      providers: [
        CertificationQueues,
        CertificationService,
        CertificationProcessor,
        WebhookDeliverer,
        CallbackPolicy,
        ...(options.workers ? [CertificationWorkers] : []),
      ],
      exports: [CertificationProcessor],
    };
  }
}
