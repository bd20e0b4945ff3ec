import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, principalOf, Public, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { attachment } from '../common/spreadsheet.js';
import { ReverseEntryDto } from '../ledger/dto/record-hours.dto.js';
import { readActivityForm } from './activity-form.js';
import { ReviewDecisionDto, ReviewQueueQueryDto } from './dto/activity.dto.js';
import { SelfReportsService } from './self-reports.service.js';

/** Sends an evidence file inline (the review page previews it), never as a page of this origin that could run script. */
function sendEvidence(reply: FastifyReply, file: { fileName: string; mediaType: string }, bytes: Buffer): Buffer {
  void reply
    .header('content-type', file.mediaType)
    .header('content-disposition', attachment('evidence', file.fileName).replace(/^attachment/, 'inline'))
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store');
  return bytes;
}

@ApiTags('self-reported activities (学时申报)')
@Controller('api/v1')
export class SelfReportsController {
  constructor(private readonly selfReports: SelfReportsService) {}

  @Get('activity-types')
  @Public()
  @ApiOkResponse({ description: '{items: the activity types of config/activity-types.yaml ({code, name, categories, maxHoursPerItem, maxHoursPerYear, evidenceRequired}), reviewStages}' })
  activityTypes() {
    return { items: this.selfReports.activityTypes(), reviewStages: this.selfReports.reviewStages };
  }

  @Post('me/activities')
  @HttpCode(201)
  @Roles('applicant')
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiCreatedResponse({ description: 'The report, status pending_employer, with its evidence list and steps' })
  @ApiUnprocessableEntityResponse({ description: 'An unknown type or employer, a category the type does not allow, a cap passed, a future date, evidence missing, too many, too large or not PDF/JPEG/PNG: nothing written' })
  async submit(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const applicant = principalOf(principal, 'applicant');
    const { fields, files } = await readActivityForm(request);
    return this.selfReports.submit(applicant, fields, files);
  }

  @Get('me/activities')
  @Roles('applicant')
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'The applicant’s reports, newest first, each with its evidence and every review step' })
  listMine(@CurrentPrincipal() principal: Principal) {
    return this.selfReports.listMine(principalOf(principal, 'applicant'));
  }

  @Get('me/activities/:id')
  @Roles('applicant')
  @ApiBearerAuth()
  @ApiNotFoundResponse({ description: 'Not one of the applicant’s reports' })
  getMine(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.selfReports.getMine(principalOf(principal, 'applicant'), id);
  }

  @Get('me/activities/:id/evidence/:fileId')
  @Roles('applicant')
  @ApiBearerAuth()
  async myEvidence(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('fileId') fileId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { file, bytes } = await this.selfReports.evidenceFile(principalOf(principal, 'applicant'), id, fileId);
    return sendEvidence(reply, file, bytes);
  }

  @Post('me/activities/:id/withdrawal')
  @HttpCode(200)
  @Roles('applicant')
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'The report, withdrawn; 409 once it is decided' })
  withdraw(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.selfReports.withdraw(principalOf(principal, 'applicant'), id);
  }
}

@ApiTags('self-reported activities (学时申报)')
@ApiBearerAuth()
@Roles('employer', 'authority')
@Controller('api/v1/reviews')
export class ReviewsController {
  constructor(private readonly selfReports: SelfReportsService) {}

  @Get()
  @ApiOkResponse({ description: 'What awaits your stage (status=pending, the default) or what you decided (status=decided); an employer sees its own employees’ reports only' })
  queue(@CurrentPrincipal() principal: Principal, @Query() query: ReviewQueueQueryDto) {
    return this.selfReports.queue(reviewerOf(principal), query.status ?? 'pending');
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'Not a report you review' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.selfReports.getForReview(reviewerOf(principal), id);
  }

  @Get(':id/evidence/:fileId')
  async evidence(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('fileId') fileId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { file, bytes } = await this.selfReports.evidenceFile(reviewerOf(principal), id, fileId);
    return sendEvidence(reply, file, bytes);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The report after your decision; the last approval records one ledger entry (source self_report). 409 if it does not await your stage (decided already).' })
  decide(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: ReviewDecisionDto) {
    return this.selfReports.decide(reviewerOf(principal), id, body.decision, body.comment);
  }

  @Post(':id/reversal')
  @HttpCode(200)
  @Roles('authority')
  @ApiOkResponse({ description: 'The authority reverses the entry an approved report recorded (a reversing entry; the report shows reversed)' })
  reverse(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: ReverseEntryDto) {
    return this.selfReports.reverse(principalOf(principal, 'authority'), id, body.reason);
  }
}

function reviewerOf(principal: Principal): Extract<Principal, { role: 'employer' | 'authority' }> {
  if (principal.role !== 'employer' && principal.role !== 'authority') throw new Error(`Expected a reviewer, got ${principal.role}`);
  return principal;
}
