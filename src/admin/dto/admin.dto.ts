import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsIdNumber, IsOrgCode, IsVisibleText } from '../../common/validation.js';

export class CreateProviderDto {
  @ApiProperty({ example: 'zj-train-01', description: 'Short unique code: 2-64 letters, digits, - or _' })
  @Matches(/^[A-Za-z0-9_-]{2,64}$/, { message: 'FIELD.PROVIDER_CODE' })
  @IsString()
  code: string;

  @ApiProperty({ example: '浙江省专业技术人员继续教育基地' })
  @Length(1, 200)
  @IsVisibleText()
  @IsString()
  name: string;

  @ApiPropertyOptional({ example: '91110000802100433B', description: '统一社会信用代码 (GB 32100): staff who sign in with it act for this provider' })
  @IsOptional()
  @IsOrgCode()
  orgCode?: string;
}

export class ProviderCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true }) orgCode: string | null;
  @ApiProperty({ description: 'Shown once; only its hash is stored.' }) apiKey: string;
}

export const CLIENT_ROLES = ['title_system', 'admin', 'employer', 'authority'] as const;

export class CreateClientDto {
  @ApiProperty({ example: '丽水市职称评审系统' })
  @Length(1, 200)
  @IsVisibleText()
  @IsString()
  name: string;

  @ApiProperty({ enum: CLIENT_ROLES, example: 'title_system' })
  @IsIn(CLIENT_ROLES)
  role: (typeof CLIENT_ROLES)[number];

  @ApiPropertyOptional({ description: 'Required for role employer: the employer (POST /admin/employers) whose self-reports this client reviews' })
  @ValidateIf((dto: CreateClientDto) => dto.role === 'employer' || dto.employerId !== undefined)
  @IsUUID()
  employerId?: string;

  @ApiPropertyOptional({ example: '11330000002482248P', description: 'Role authority only: its 统一社会信用代码, so that its staff may sign in' })
  @ValidateIf((dto: CreateClientDto) => dto.orgCode !== undefined)
  @IsOrgCode()
  orgCode?: string;
}

export class CreateEmployerDto {
  @ApiProperty({ example: '91330100MA2B3C4D5E', description: '统一社会信用代码 (GB 32100)' })
  @IsOrgCode()
  orgCode: string;

  @ApiProperty({ example: '丽水市某某工程设计有限公司' })
  @Length(1, 200)
  @IsVisibleText()
  @IsString()
  name: string;
}

export class EmployerCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty() orgCode: string;
  @ApiProperty() name: string;
}

export class ClientCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CLIENT_ROLES }) role: string;
  @ApiProperty({ description: 'Shown once; only its hash is stored.' }) apiKey: string;
  @ApiPropertyOptional({ description: 'Title systems only: the HMAC-SHA256 secret that signs their webhooks. Shown once.' })
  webhookSecret?: string;
}

export class CreateApplicantTokenDto {
  @ApiProperty({ example: '11010519491231002X' })
  @IsIdNumber()
  idNumber: string;

  @ApiPropertyOptional({ example: 3600, minimum: 60, maximum: 2592000, default: 3600 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  ttlSeconds?: number;
}

export class ApplicantTokenDto {
  @ApiProperty() token: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) expiresAt: string;
}
