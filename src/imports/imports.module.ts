import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportEntity, ImportFileEntity, ImportRowEntity } from './import.entities.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { ImportQueue } from './import.queue.js';
import { ImportWorkers } from './import.workers.js';
import { ImportsController } from './imports.controller.js';
import { ImportsRepository } from './imports.repository.js';
import { ImportsService } from './imports.service.js';

@Module({})
export class ImportsModule {
  /** With workers the process also processes imports; without, it only accepts and reports them. */
  static register(options: { workers: boolean }): DynamicModule {
    return {
      module: ImportsModule,
      imports: [TypeOrmModule.forFeature([ImportFileEntity, ImportEntity, ImportRowEntity]), LedgerModule],
      controllers: [ImportsController],
      providers: [ImportQueue, ImportsRepository, ImportsService, ...(options.workers ? [ImportWorkers] : [])],
    };
  }
}
