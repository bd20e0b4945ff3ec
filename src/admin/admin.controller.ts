import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { AdminService } from './admin.service.js';
import {
  ApplicantTokenDto,
  ClientCreatedDto,
  CreateApplicantTokenDto,
  CreateClientDto,
  CreateProviderDto,
  ProviderCreatedDto,
} from './dto/admin.dto.js';

@ApiTags('administration')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('providers')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ProviderCreatedDto, description: 'The provider and its API key, shown this once.' })
  createProvider(@Body() body: CreateProviderDto): Promise<ProviderCreatedDto> {
    return this.admin.createProvider(body.code, body.name);
  }

  @Post('clients')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ClientCreatedDto, description: 'The client and its API key, shown this once.' })
  createClient(@Body() body: CreateClientDto): Promise<ClientCreatedDto> {
    return this.admin.createClient(body.name, body.role);
  }

  @Post('applicant-tokens')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ApplicantTokenDto })
  createApplicantToken(@Body() body: CreateApplicantTokenDto): Promise<ApplicantTokenDto> {
    return this.admin.mintApplicantToken(body.idNumber, body.ttlSeconds);
  }
}
