import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { type SchemaObject, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { Caller } from '../auth/caller.js';
import { JsonSchemaPipe } from '../common/json-schema.js';
import { BatchResultDto, EntryDto, EntryListDto, EntryPageDto } from './dto/ledger.responses.js';
import {
  RECORD_HOURS_BATCH_SCHEMA,
  RECORD_HOURS_SCHEMA,
  type RecordHoursBatchDto,
  type RecordHoursDto,
  HoursListQueryDto,
  HoursLookupDto,
  ReverseByExternalIdDto,
  ReverseEntryDto,
} from './dto/record-hours.dto.js';
import { LedgerService } from './ledger.service.js';
import { AuditService } from '../audit/audit.service.js';
import { PiiService } from '../common/pii.service.js';

@ApiTags('recording hours')
@ApiBearerAuth()
@Roles('provider')
@Controller('api/v1/hours')
export class HoursController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly pii: PiiService,
    private readonly caller: Caller,
  ) {}

  @Post()
  @ApiBody({ schema: RECORD_HOURS_SCHEMA as SchemaObject })
  @ApiCreatedResponse({ type: EntryDto, description: 'Recorded now' })
  @ApiOkResponse({ type: EntryDto, description: 'Recorded before with the same content: the original entry' })
  @ApiConflictResponse({ description: 'Recorded before with different content' })
  async record(
    @Body(new JsonSchemaPipe(RECORD_HOURS_SCHEMA)) body: RecordHoursDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EntryDto> {
    const { status, entry } = await this.ledger.recordOne(this.caller.as('provider').providerId, body);
    reply.status(status === 'created' ? 201 : 200);
    return EntryDto.from(entry);
  }

  @Post('batch')
  @HttpCode(201)
  @ApiBody({ schema: RECORD_HOURS_BATCH_SCHEMA as SchemaObject })
  @ApiCreatedResponse({ type: BatchResultDto })
  @ApiUnprocessableEntityResponse({ description: 'Nothing recorded: errors name each bad entry as entries[index]' })
  async recordBatch(@Body(new JsonSchemaPipe(RECORD_HOURS_BATCH_SCHEMA)) body: RecordHoursBatchDto): Promise<BatchResultDto> {
    const outcomes = await this.ledger.recordBatch(this.caller.as('provider').providerId, body.entries);
    const created = outcomes.filter((outcome) => outcome.status === 'created').length;
    return { created, replayed: outcomes.length - created, entries: outcomes };
  }

  @Post(':id/reversal')
  @HttpCode(201)
  @ApiCreatedResponse({ type: EntryDto, description: 'The reversing entry' })
  async reverse(@Param('id') id: string, @Body() body: ReverseEntryDto): Promise<EntryDto> {
    return EntryDto.from(await this.ledger.reverse(this.caller.as('provider').providerId, id, body.reason));
  }

  @Post('reversal')
  @HttpCode(201)
  @ApiCreatedResponse({ type: EntryDto, description: 'The reversing entry of the latest posting of externalId; the externalId may then be posted again' })
  @ApiNotFoundResponse({ description: 'This provider never posted that externalId' })
  @ApiConflictResponse({ description: 'Its latest posting is reversed already' })
  async reverseByExternalId(@Body() body: ReverseByExternalIdDto): Promise<EntryDto> {
    return EntryDto.from(await this.ledger.reverseByExternalId(this.caller.as('provider').providerId, body.externalId, body.reason));
  }

  @Post('lookup')
  @HttpCode(200)
  @ApiOkResponse({ type: EntryListDto, description: "This provider's own entries for the person (reversals included), newest first" })
  async lookup(@Body() body: HoursLookupDto): Promise<EntryListDto> {
    const [entries] = await Promise.all([
      this.ledger.entriesOfPerson(this.caller.as('provider').providerId, body.idNumber),
      this.audit.recordAccess([this.pii.lookupHash(body.idNumber)], 'provider_lookup'),
    ]);
    return { items: entries.map(EntryDto.from) };
  }

  @Get()
  @ApiOkResponse({ type: EntryPageDto, description: 'Newest first; with ?externalId= every posting of that id and its reversal, on one page' })
  async list(@Query() query: HoursListQueryDto): Promise<EntryPageDto> {
    const providerId = this.caller.as('provider').providerId;
    if (query.externalId !== undefined) return { items: (await this.ledger.entriesByExternalId(providerId, query.externalId)).map(EntryDto.from), nextCursor: null };
    const page = await this.ledger.listOwn(providerId, query.cursor, query.limit, { course: query.course, completedOn: query.completedOn });
    return { items: page.items.map(EntryDto.from), nextCursor: page.nextCursor };
  }
}
