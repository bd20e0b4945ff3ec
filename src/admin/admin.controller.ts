import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service.js';
import { Roles } from '../auth/auth.decorators.js';
import { maskIdNumber } from '../common/id-number.js';
import { AdminService } from './admin.service.js';
import {
  ApplicantTokenDto,
  ClientCreatedDto,
  CreateApplicantTokenDto,
  CreateClientDto,
  CreateEmployerDto,
  CreateProviderDto,
  EmployerCreatedDto,
  ProviderCreatedDto,
} from './dto/admin.dto.js';

@ApiTags('administration')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin')
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly audit: AuditService,
  ) {}

  @Post('providers')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ProviderCreatedDto, description: 'The provider and its API key, shown this once.' })
  async createProvider(@Body() body: CreateProviderDto): Promise<ProviderCreatedDto> {
    const created = await this.admin.createProvider(body.code, body.name, body.orgCode ?? null);
    await this.audit.recordAdmin('provider_created', `${created.code} ${created.name}`);
    return created;
  }

  @Post('clients')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ClientCreatedDto, description: 'The client and its API key, shown this once.' })
  async createClient(@Body() body: CreateClientDto): Promise<ClientCreatedDto> {
    const created = await this.admin.createClient(body.name, body.role, { employerId: body.employerId, orgCode: body.orgCode });
    await this.audit.recordAdmin('client_created', `${created.role} ${created.name}`);
    return created;
  }

  @Post('employers')
  @HttpCode(201)
  @ApiCreatedResponse({ type: EmployerCreatedDto, description: 'The employer (用人单位); its reviewers sign in with its code or use an employer client key' })
  async createEmployer(@Body() body: CreateEmployerDto): Promise<EmployerCreatedDto> {
    const created = await this.admin.createEmployer(body.orgCode, body.name);
    await this.audit.recordAdmin('employer_created', `${created.orgCode} ${created.name}`);
    return created;
  }

  @Post('applicant-tokens')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ApplicantTokenDto })
  async createApplicantToken(@Body() body: CreateApplicantTokenDto): Promise<ApplicantTokenDto> {
    await this.audit.recordAdmin('applicant_token_minted', maskIdNumber(body.idNumber));
    return this.admin.mintApplicantToken(body.idNumber, body.ttlSeconds);
  }
}
