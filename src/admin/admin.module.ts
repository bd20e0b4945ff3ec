import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiClientEntity, ApiKeyEntity } from './api-client.entity.js';
import { EmployerEntity } from './employer.entity.js';
import { EmployersRepository } from './employers.repository.js';
import { ProviderEntity } from './provider.entity.js';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';
import { ProvidersRepository } from './providers.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([ProviderEntity, EmployerEntity, ApiClientEntity, ApiKeyEntity])],
  controllers: [AdminController],
  providers: [AdminService, ProvidersRepository, EmployersRepository],
  exports: [ProvidersRepository, EmployersRepository],
})
export class AdminModule {}
