import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { Caller } from '../auth/caller.js';
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
    private readonly caller: Caller,
  ) {}

  @Post('name-changes')
  @HttpCode(201)
  @ApiCreatedResponse({ type: NameChangeCreatedDto, description: 'Recorded; entries for this ID number must carry the new name from now on' })
  @ApiNotFoundResponse({ description: 'Nobody has recorded hours for this ID number' })
  async create(@Body() body: CreateNameChangeDto): Promise<NameChangeCreatedDto> {
    const change = await this.ledger.changeName(body.idNumber, body.newName, body.reason, this.caller.as('admin').clientId);
    await this.audit.recordAdmin('name_changed', change.idNumberMasked);
    return change;
  }
}
