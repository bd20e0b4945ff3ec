import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, principalOf, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { CreateNameChangeDto, NameChangeCreatedDto } from './dto/name-change.dto.js';
import { LedgerService } from './ledger.service.js';
import { AuditService } from '../audit/audit.service.js';

@ApiTags('administration')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/persons')
export class NameChangesController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  @Post('name-changes')
  @HttpCode(201)
  @ApiCreatedResponse({ type: NameChangeCreatedDto, description: 'Recorded; entries for this ID number must carry the new name from now on' })
  @ApiNotFoundResponse({ description: 'Nobody has recorded hours for this ID number' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateNameChangeDto): Promise<NameChangeCreatedDto> {
    const change = await this.ledger.changeName(body.idNumber, body.newName, body.reason, principalOf(principal, 'admin').clientId);
    await this.audit.recordAdmin(principal, 'name_changed', change.idNumberMasked);
    return change;
  }
}
