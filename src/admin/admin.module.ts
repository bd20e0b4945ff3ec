import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';
import { ProvidersRepository } from './providers.repository.js';

@Module({
  controllers: [AdminController],
  providers: [AdminService, ProvidersRepository],
  exports: [ProvidersRepository],
})
export class AdminModule {}
