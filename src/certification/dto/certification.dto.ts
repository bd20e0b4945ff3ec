import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { DecisionDto } from '../../eligibility/dto/decision.dto.js';
import { EligibilityCriteriaDto, EligibilityRequestDto } from '../../eligibility/dto/eligibility-request.dto.js';

export const MAX_ROSTER = 5000;

export class CertificationRequestDto extends EligibilityRequestDto {
  @ApiPropertyOptional({ example: 'https://title.example.gov.cn/hooks/certifications', description: 'http or https; receives the completed certification, signed' })
  @IsOptional()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'FIELD.URL' })
  @IsString()
  callbackUrl?: string;
}

export class CertificationBatchDto {
  /** Each request is validated by the service, so that every bad row is reported at once (its form and its rules). */
  @ApiProperty({ type: [CertificationRequestDto], minItems: 1, maxItems: MAX_ROSTER, description: 'The roster: one request per applicant' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ROSTER)
  @IsArray()
  requests: unknown[];
}

export class CertificationAcceptedDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'], example: 'queued' }) status: string;
}

export class BatchAcceptedDto {
  @ApiProperty() batchId: string;
  @ApiProperty({ type: [String], description: 'The certification ids, in the order of the requests' }) ids: string[];
}

export class StoredRequestDto extends EligibilityCriteriaDto {
  @ApiProperty({ example: '110105********002X' }) idNumberMasked: string;
}

export class CertificationDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status: string;
  @ApiPropertyOptional({ nullable: true }) batchId: string | null;
  @ApiProperty({ type: StoredRequestDto, description: 'The request, with the ID number masked' }) request: StoredRequestDto;
  @ApiPropertyOptional({ type: DecisionDto }) decision?: DecisionDto;
  @ApiPropertyOptional({ description: 'Compact JWS (EdDSA) over the decision, the request and a digest of the ledger entries read; verify with /.well-known/jwks.json' })
  certificate?: string;
  @ApiPropertyOptional() completedAt?: string;
  @ApiPropertyOptional() failureReason?: string;
  @ApiProperty() createdAt: string;
}

export class BatchSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() total: number;
  @ApiProperty() queued: number;
  @ApiProperty() running: number;
  @ApiProperty() completed: number;
  @ApiProperty() failed: number;
  @ApiProperty() eligible: number;
  @ApiProperty() ineligible: number;
  @ApiProperty() undetermined: number;
}

export class CertificationPageDto {
  @ApiProperty({ type: [CertificationDto] }) items: CertificationDto[];
  @ApiProperty({ nullable: true }) nextCursor: string | null;
}

export class WebhookDeliveryDto {
  @ApiProperty() attempt: number;
  @ApiProperty({ nullable: true }) statusCode: number | null;
  @ApiProperty() succeeded: boolean;
  @ApiProperty({ nullable: true }) error: string | null;
  @ApiProperty() attemptedAt: string;
}
