import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { ProvidersRepository } from './providers.repository';

@Module({
  controllers: [AdminController],
  providers: [AdminService, ProvidersRepository],
})
export class AdminModule {}
