import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { Caller } from '../auth/caller.js';
import { PageQueryDto } from '../common/pagination.js';
import { AuditService } from './audit.service.js';

export class LogActorDto {
  @ApiProperty({ example: 'title_system' }) kind: string;
  @ApiProperty({ example: '职称评审系统' }) kindName: string;
  @ApiProperty({ example: '丽水市职称评审系统' }) name: string;
}

export class LogItemDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['access', 'admin'] }) kind: string;
  @ApiProperty({ example: '2026-11-29T08:00:00.000Z' }) at: string;
  @ApiProperty({ type: LogActorDto }) actor: LogActorDto;
  @ApiProperty({ example: 'ledger_query' }) action: string;
  @ApiProperty({ example: '查询学时账本' }) actionName: string;
  @ApiPropertyOptional({ nullable: true, example: '2026年度高级职称资格审查' }) purpose?: string | null;
  @ApiPropertyOptional({ nullable: true }) target?: string | null;
}

export class LogPageDto {
  @ApiProperty({ type: [LogItemDto] }) items: LogItemDto[];
  @ApiProperty({ nullable: true }) nextCursor: string | null;
}

@ApiTags('access log')
@ApiBearerAuth()
@Controller('api/v1')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly caller: Caller,
  ) {}

  @Get('me/access-log')
  @Roles('applicant')
  @ApiOkResponse({ type: LogPageDto, description: "Who read the caller's data, newest first (PIPL art. 45)" })
  mine(@Query() query: PageQueryDto): Promise<LogPageDto> {
    return this.audit.accessLogOf(this.caller.as('applicant').personKey, query.cursor, query.limit);
  }

  @Get('admin/audit')
  @Roles('admin')
  @ApiOkResponse({ type: LogPageDto, description: 'Every administrative action and every access record, newest first' })
  everything(@Query() query: PageQueryDto): Promise<LogPageDto> {
    return this.audit.everything(query.cursor, query.limit);
  }
}
