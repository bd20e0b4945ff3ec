import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module.js';
import { SessionsController } from './sessions.controller.js';
import { SessionStore } from './session.store.js';
import { SignInService } from './sign-in.service.js';

@Module({
  imports: [AdminModule],
  controllers: [SessionsController],
  providers: [SessionStore, SignInService],
  exports: [SessionStore],
})
export class SessionsModule {}
