import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { Caller } from '../auth/caller.js';
import { NotFoundError } from '../common/domain-error.js';
import { message } from '../common/messages.js';
import { PiiService } from '../common/pii.service.js';
import { AuditService } from '../audit/audit.service.js';
import { LedgerQueryDto } from './dto/ledger-query.dto.js';
import { LedgerDto } from './dto/ledger.responses.js';
import { LedgerService } from './ledger.service.js';

@ApiTags('reading a ledger')
@ApiBearerAuth()
@Controller('api/v1')
export class LedgerController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly pii: PiiService,
    private readonly audit: AuditService,
    private readonly caller: Caller,
  ) {}

  @Get('me/ledger')
  @Roles('applicant')
  @ApiOkResponse({ type: LedgerDto, description: "The caller's own ledger (empty until a provider records hours)" })
  async myLedger(): Promise<LedgerDto> {
    const applicant = this.caller.as('applicant');
    return (await this.ledger.readLedger(applicant.personKey)) ?? { person: { idNumberMasked: applicant.idNumberMasked, name: null, nameChanges: [] }, years: [] };
  }

  @Post('ledger-queries')
  @HttpCode(200)
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: LedgerDto })
  @ApiNotFoundResponse({ description: 'No hours were ever recorded for this ID number' })
  async query(@Body() body: LedgerQueryDto): Promise<LedgerDto> {
    const personKey = this.pii.lookupHash(body.idNumber);
    // Recorded in the same request, and a record that fails fails the read: nothing is read unrecorded.
    const [ledger] = await Promise.all([this.ledger.readLedger(personKey), this.audit.recordAccess([personKey], 'ledger_query', body.purpose)]);
    if (!ledger) throw new NotFoundError('LEDGER.PERSON_NOT_FOUND', message('LEDGER.PERSON_NOT_FOUND'));
    return ledger;
  }
}
