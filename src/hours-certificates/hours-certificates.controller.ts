import { Body, Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public, Roles } from '../auth/auth.decorators.js';
import { Caller } from '../auth/caller.js';
import { NotFoundError } from '../common/domain-error.js';
import { VERIFY_CODE_PATTERN } from '../common/ids.js';
import { message } from '../common/messages.js';
import { PiiService } from '../common/pii.service.js';
import { attachment } from '../common/spreadsheet.js';
import { IsIdNumber, IsLedgerYear } from '../common/validation.js';
import { HoursCertificatesService } from './hours-certificates.service.js';
import { VerificationService } from './verification.service.js';
import { VerifyRateLimitGuard } from './verify-rate-limit.guard.js';

export class IssueHoursCertificateDto {
  @ApiProperty({ example: 2020, description: 'First year covered (at most 10 years, none after this year)' })
  @IsLedgerYear()
  fromYear: number;

  @ApiProperty({ example: 2024 })
  @IsLedgerYear()
  toYear: number;
}

export class TitleIssueHoursCertificateDto extends IssueHoursCertificateDto {
  @ApiProperty({ example: '11010519491231002X' })
  @IsIdNumber()
  idNumber: string;

  @ApiPropertyOptional({ example: '2026年度中级职称资格审查', description: "Shown to the person in their access log" })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  purpose?: string;
}

export class CertificateYearDto {
  @ApiProperty({ example: 2024 }) year: number;
  @ApiProperty({ example: 60 }) professional: number;
  @ApiProperty({ example: 12 }) generalPublic: number;
  @ApiProperty({ example: 18 }) industryPublic: number;
  @ApiProperty({ example: 90 }) total: number;
}

export class HoursCertificateIssuedDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: '128 random bits, URL-safe' }) verifyCode: string;
  @ApiProperty({ example: 'https://xuexi.example.gov.cn/verify/…' }) verifyUrl: string;
  @ApiProperty() issuedAt: string;
  @ApiProperty() fromYear: number;
  @ApiProperty() toYear: number;
  @ApiProperty({ type: [CertificateYearDto] }) years: CertificateYearDto[];
  @ApiProperty({ description: 'Compact JWS (EdDSA) over the content and a digest of the entries; verify with /.well-known/jwks.json' }) certificate: string;
}

const PDF = 'application/pdf';

@ApiTags('hours certificates')
@ApiBearerAuth()
@Controller('api/v1')
export class HoursCertificatesController {
  constructor(
    private readonly certificates: HoursCertificatesService,
    private readonly pii: PiiService,
    private readonly caller: Caller,
  ) {}

  @Post('me/hours-certificates')
  @HttpCode(201)
  @Roles('applicant')
  @ApiCreatedResponse({ type: HoursCertificateIssuedDto })
  issueMine(@Body() body: IssueHoursCertificateDto): Promise<HoursCertificateIssuedDto> {
    return this.certificates.issue(this.caller.as('applicant').personKey, body.fromYear, body.toYear);
  }

  @Get('me/hours-certificates')
  @Roles('applicant')
  @ApiOkResponse({ description: "The caller's certificates, newest first, each valid or superseded" })
  listMine() {
    return this.certificates.listOwn(this.caller.as('applicant').personKey);
  }

  @Get('me/hours-certificates/:id/pdf')
  @Roles('applicant')
  @ApiProduces(PDF)
  @ApiNotFoundResponse({ description: 'Not a certificate of the caller' })
  async myPdf(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return this.sendPdf(reply, id, await this.certificates.pdf(id));
  }

  @Post('hours-certificates')
  @HttpCode(201)
  @Roles('title_system')
  @ApiCreatedResponse({ type: HoursCertificateIssuedDto })
  issue(@Body() body: TitleIssueHoursCertificateDto): Promise<HoursCertificateIssuedDto> {
    return this.certificates.issue(this.pii.lookupHash(body.idNumber), body.fromYear, body.toYear, body.purpose);
  }

  @Get('hours-certificates/:id/pdf')
  @Roles('title_system')
  @ApiProduces(PDF)
  @ApiNotFoundResponse({ description: 'Not a certificate this title system asked for' })
  async pdf(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return this.sendPdf(reply, id, await this.certificates.pdf(id));
  }

  private sendPdf(reply: FastifyReply, id: string, pdf: Buffer): Buffer {
    void reply.header('content-type', PDF).header('content-disposition', attachment(`hours-certificate-${id}.pdf`, `继续教育学时证明-${id}.pdf`));
    return pdf;
  }
}

const VERIFY_PAGE = readFileSync(join(import.meta.dirname, '..', 'applicant-page', 'public', 'verify.html'), 'utf8');

/** Public verification of a printed certificate, by the code its QR carries: rate-limited per client address. */
@ApiTags('hours certificates')
@Public()
@UseGuards(VerifyRateLimitGuard)
@Controller()
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Get('api/v1/verifications/:code')
  @ApiOkResponse({ description: '{kind, status: valid|superseded, issuedAt, person: {nameMasked, idNumberMasked}, fromYear, toYear, years, changedAt?}' })
  @ApiNotFoundResponse({ description: 'No certificate has this code' })
  @ApiTooManyRequestsResponse({ description: 'More than VERIFY_RATE_LIMIT_PER_MINUTE look-ups a minute from this address' })
  async verify(@Param('code') code: string) {
    const found = VERIFY_CODE_PATTERN.test(code) ? await this.verification.verify(code) : null;
    if (!found) throw new NotFoundError('VERIFICATION.NOT_FOUND', message('VERIFICATION.NOT_FOUND'));
    return found;
  }

  /** The page a phone opens from the QR code: it reads the JSON above and says it in Chinese. */
  @Get('verify/:code')
  @ApiProduces('text/html')
  page(@Res() reply: FastifyReply) {
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(VERIFY_PAGE);
  }
}
