import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiClientEntity, ApiKeyEntity } from './api-client.entity.js';
import { ProviderEntity } from './provider.entity.js';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';
import { ProvidersRepository } from './providers.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([ProviderEntity, ApiClientEntity, ApiKeyEntity])],
  controllers: [AdminController],
  providers: [AdminService, ProvidersRepository],
  exports: [ProvidersRepository],
})
export class AdminModule {}
