import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiOkResponse, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, principalOf, Public, Roles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { PageQueryDto } from '../common/pagination.js';
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
  submit(@CurrentPrincipal() principal: Principal, @Body() body: CertificationRequestDto, @Headers('idempotency-key') key?: string) {
    return this.certifications.submit(principalOf(principal, 'title_system').clientId, body, key);
  }

  @Post('certifications/batch')
  @HttpCode(202)
  @Roles('title_system')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiAcceptedResponse({ type: BatchAcceptedDto })
  @ApiServiceUnavailableResponse({ description: 'The queue (Redis) is unavailable; nothing was written' })
  submitBatch(@CurrentPrincipal() principal: Principal, @Body() body: CertificationBatchDto, @Headers('idempotency-key') key?: string) {
    return this.certifications.submitBatch(principalOf(principal, 'title_system').clientId, body.requests, key);
  }

  @Get('certifications/:id')
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: CertificationDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<CertificationDto> {
    return this.certifications.get(principal, id);
  }

  @Get('certifications/:id/webhook-deliveries')
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: [WebhookDeliveryDto], description: 'Every attempt to deliver the certification to its callbackUrl' })
  deliveries(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.certifications.deliveries(principal, id);
  }

  @Get('certification-batches/:id')
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: BatchSummaryDto })
  batch(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<BatchSummaryDto> {
    return this.certifications.batchSummary(principal, id);
  }

  @Get('certification-batches/:id/certifications')
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: CertificationPageDto })
  batchPage(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: PageQueryDto): Promise<CertificationPageDto> {
    return this.certifications.batchPage(principal, id, query.cursor, query.limit);
  }

  @Get('certification-batches/:id/export.csv')
  @Roles('title_system', 'admin')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The roster for the committee: masked ID, name, decision, failing checks in words, certification id' })
  async batchCsv(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<string> {
    return this.certifications.batchCsv(principal, id);
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
