import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service.js';
import { Roles } from '../auth/auth.decorators.js';
import { Caller } from '../auth/caller.js';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../common/domain-error.js';
import { message } from '../common/messages.js';
import { KeysService } from './keys.service.js';

export class ApiKeyDto {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ nullable: true, example: 'cel_Xk3mP9qR', description: 'The first characters, to tell keys apart' }) prefix: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, description: 'Written every 30 seconds, not per request' }) lastUsedAt: string | null;
  @ApiPropertyOptional({ nullable: true }) revokedAt: string | null;
}

export class ApiKeyCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Shown this once; only its hash is kept' }) apiKey: string;
}

/** The API-key holder's own keys. A session (an organisation's staff) or the bootstrap key has none to manage. */
function clientIdOf(principal: Principal): string {
  const clientId = principal.role === 'applicant' ? null : principal.clientId;
  // Only an api_clients row has keys: `org:…` and the bootstrap key's id name no row (principal.ts).
  if (!clientId || clientId.includes(':')) throw new DomainError('AUTH.FORBIDDEN', 403, message('KEYS.NO_CLIENT'));
  return clientId;
}

@ApiTags('keys')
@ApiBearerAuth()
@Roles('admin', 'provider', 'title_system')
@Controller('api/v1/keys')
export class KeysController {
  constructor(
    private readonly keys: KeysService,
    private readonly audit: AuditService,
    private readonly caller: Caller,
  ) {}

  @Get()
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(): Promise<ApiKeyDto[]> {
    return this.keys.list(clientIdOf(this.caller.principal));
  }

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: ApiKeyCreatedDto })
  @ApiConflictResponse({ description: 'Already 5 active keys' })
  async create(): Promise<ApiKeyCreatedDto> {
    const created = await this.keys.create(clientIdOf(this.caller.principal));
    await this.audit.recordAdmin('key_created', created.apiKey.slice(0, 12));
    return created;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: refused by every process within 5 seconds' })
  async revoke(@Param('id') id: string): Promise<void> {
    await this.keys.revoke(clientIdOf(this.caller.principal), id);
    await this.audit.recordAdmin('key_revoked', id);
  }
}
