import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiConflictResponse, ApiHeader, ApiOkResponse, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '../auth/auth.decorators.js';
import { PageQueryDto } from '../common/pagination.js';
import { AuditService } from '../audit/audit.service.js';
import { attachment, toCsv, toXlsx, XLSX_CONTENT_TYPE } from '../common/spreadsheet.js';
import { CertificationService } from './certification.service.js';
import {
  BatchAcceptedDto,
  BatchSummaryDto,
  CertificationAcceptedDto,
  CertificationBatchDto,
  CertificationDto,
  CertificationPageDto,
  CertificationRequestDto,
  WebhookDeliveryDto,
} from './dto/certification.dto.js';
import { SigningService } from './signing.service.js';

const EXPORT_DESCRIPTION =
  'The roster for the committee, one row per request in submission order: 序号, 姓名, masked ID, city, application year, track, level, series, status, decision, summary, certification id';

const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: false, description: 'Same key and body → the same result; same key, other body → 409' };

@ApiTags('certification')
@ApiBearerAuth()
@Controller('api/v1')
export class CertificationController {
  constructor(private readonly certifications: CertificationService) {}

  @Post('certifications')
  @HttpCode(202)
  @Roles('title_system')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiAcceptedResponse({ type: CertificationAcceptedDto })
  @ApiConflictResponse({ description: 'Idempotency-Key reused with a different request' })
  @ApiServiceUnavailableResponse({ description: 'The queue (Redis) is unavailable; nothing was written' })
  submit(@Body() body: CertificationRequestDto, @Headers('idempotency-key') key?: string) {
    return this.certifications.submit(body, key);
  }

  @Post('certifications/batch')
  @HttpCode(202)
  @Roles('title_system')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiAcceptedResponse({ type: BatchAcceptedDto })
  @ApiServiceUnavailableResponse({ description: 'The queue (Redis) is unavailable; nothing was written' })
  submitBatch(@Body() body: CertificationBatchDto, @Headers('idempotency-key') key?: string) {
    return this.certifications.submitBatch(body.requests, key);
  }

  @Get('certifications/:id')
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: CertificationDto })
  get(@Param('id') id: string): Promise<CertificationDto> {
    return this.certifications.get(id);
  }

  @Get('certifications/:id/pdf')
  @Roles('title_system', 'admin')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The printed result (资格审查结果): summary, checks, and a QR code that verifies it' })
  async pdf(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const pdf = await this.certifications.pdf(id);
    void reply.header('content-type', 'application/pdf').header('content-disposition', attachment(`certification-${id}.pdf`, `资格审查结果-${id}.pdf`));
    return pdf;
  }

  @Get('certifications/:id/webhook-deliveries')
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: [WebhookDeliveryDto], description: 'Every attempt to deliver the certification to its callbackUrl' })
  deliveries(@Param('id') id: string) {
    return this.certifications.deliveries(id);
  }

  @Get('certification-batches/:id')
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: BatchSummaryDto })
  batch(@Param('id') id: string): Promise<BatchSummaryDto> {
    return this.certifications.batchSummary(id);
  }

  @Get('certification-batches/:id/certifications')
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: CertificationPageDto })
  batchPage(@Param('id') id: string, @Query() query: PageQueryDto): Promise<CertificationPageDto> {
    return this.certifications.batchPage(id, query.cursor, query.limit);
  }

  @Get('certification-batches/:id/export.csv')
  @Roles('title_system', 'admin')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: EXPORT_DESCRIPTION })
  async batchCsv(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { header, rows } = await this.certifications.batchExport(id);
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', attachment(`roster-${id}.csv`, `资格审查结果-${id}.csv`));
    return toCsv(header, rows);
  }

  @Get('certification-batches/:id/export.xlsx')
  @Roles('title_system', 'admin')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({ description: EXPORT_DESCRIPTION })
  async batchXlsx(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const { header, rows } = await this.certifications.batchExport(id);
    void reply.header('content-type', XLSX_CONTENT_TYPE).header('content-disposition', attachment(`roster-${id}.xlsx`, `资格审查结果-${id}.xlsx`));
    return toXlsx('资格审查结果', header, rows);
  }
}

@ApiTags('certification')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly signing: SigningService) {}

  @Get('jwks.json')
  @ApiOkResponse({ description: 'The public keys (with kid) that verify certificates, rotated ones included' })
  jwks() {
    return this.signing.jwks();
  }
}

@ApiTags('administration')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/signing-keys')
export class SigningKeysController {
  constructor(
    private readonly signing: SigningService,
    private readonly audit: AuditService,
  ) {}

  /** A new key signs certificates from now on; /.well-known/jwks.json keeps every earlier public key. */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ description: '{kid}: the key that signs from now on' })
  async rotate(): Promise<{ kid: string }> {
    const rotated = await this.signing.rotate();
    await this.audit.recordAdmin('signing_key_rotated', rotated.kid);
    return rotated;
  }
}
