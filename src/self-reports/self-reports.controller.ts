import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, Roles } from '../auth/auth.decorators.js';
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
  async submit(@Req() request: FastifyRequest) {
    const { fields, files } = await readActivityForm(request);
    return this.selfReports.submit(fields, files);
  }

  @Get('me/activities')
  @Roles('applicant')
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'The applicant’s reports, newest first, each with its evidence and every review step' })
  listMine() {
    return this.selfReports.listMine();
  }

  @Get('me/activities/:id')
  @Roles('applicant')
  @ApiBearerAuth()
  @ApiNotFoundResponse({ description: 'Not one of the applicant’s reports' })
  getMine(@Param('id') id: string) {
    return this.selfReports.getMine(id);
  }

  @Get('me/activities/:id/evidence/:fileId')
  @Roles('applicant')
  @ApiBearerAuth()
  async myEvidence(@Param('id') id: string, @Param('fileId') fileId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { file, bytes } = await this.selfReports.evidenceFile(id, fileId);
    return sendEvidence(reply, file, bytes);
  }

  @Post('me/activities/:id/withdrawal')
  @HttpCode(200)
  @Roles('applicant')
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'The report, withdrawn; 409 once it is decided' })
  withdraw(@Param('id') id: string) {
    return this.selfReports.withdraw(id);
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
  queue(@Query() query: ReviewQueueQueryDto) {
    return this.selfReports.queue(query.status ?? 'pending');
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'Not a report you review' })
  get(@Param('id') id: string) {
    return this.selfReports.getForReview(id);
  }

  @Get(':id/evidence/:fileId')
  async evidence(@Param('id') id: string, @Param('fileId') fileId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { file, bytes } = await this.selfReports.evidenceFile(id, fileId);
    return sendEvidence(reply, file, bytes);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The report after your decision; the last approval records one ledger entry (source self_report). 409 if it does not await your stage (decided already).' })
  decide(@Param('id') id: string, @Body() body: ReviewDecisionDto) {
    return this.selfReports.decide(id, body.decision, body.comment);
  }

  @Post(':id/reversal')
  @HttpCode(200)
  @Roles('authority')
  @ApiOkResponse({ description: 'The authority reverses the entry an approved report recorded (a reversing entry; the report shows reversed)' })
  reverse(@Param('id') id: string, @Body() body: ReverseEntryDto) {
    return this.selfReports.reverse(id, body.reason);
  }
}
