import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { Caller } from '../auth/caller.js';
import { PiiService } from '../common/pii.service.js';
import { AuditService } from '../audit/audit.service.js';
import { DecisionDto, PlanDto } from './dto/decision.dto.js';
import { EligibilityCriteriaDto, EligibilityRequestDto } from './dto/eligibility-request.dto.js';
import { EligibilityService } from './eligibility.service.js';

const INVALID = 'Invalid request, a city with no rule set in force for the year, or a field the rule needs (e.g. requiredYears) missing';

@ApiTags('eligibility')
@ApiBearerAuth()
@Controller('api/v1')
export class EligibilityController {
  constructor(
    private readonly eligibility: EligibilityService,
    private readonly pii: PiiService,
    private readonly audit: AuditService,
    private readonly caller: Caller,
  ) {}

  @Post('eligibility/preview')
  @HttpCode(200)
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: DecisionDto, description: 'The decision, computed now and not stored' })
  @ApiUnprocessableEntityResponse({ description: INVALID })
  async preview(@Body() body: EligibilityRequestDto): Promise<DecisionDto> {
    const { idNumber, purpose, ...criteria } = body;
    const personKey = this.pii.lookupHash(idNumber);
    const [decision] = await Promise.all([this.eligibility.decide(personKey, criteria), this.audit.recordAccess([personKey], 'eligibility_preview', purpose)]);
    return decision;
  }

  @Post('eligibility/plan')
  @HttpCode(200)
  @Roles('title_system', 'admin')
  @ApiOkResponse({ type: PlanDto, description: 'What the person must still earn, per open year and category, to become eligible' })
  @ApiUnprocessableEntityResponse({ description: `${INVALID}; or an application year already past` })
  async plan(@Body() body: EligibilityRequestDto): Promise<PlanDto> {
    const { idNumber, purpose, ...criteria } = body;
    const personKey = this.pii.lookupHash(idNumber);
    const [plan] = await Promise.all([this.eligibility.plan(personKey, criteria), this.audit.recordAccess([personKey], 'eligibility_plan', purpose)]);
    return plan;
  }

  @Post('me/plan')
  @HttpCode(200)
  @Roles('applicant')
  @ApiOkResponse({ type: PlanDto, description: 'What the caller must still earn, per open year and category, to become eligible' })
  @ApiUnprocessableEntityResponse({ description: `${INVALID}; or an application year already past` })
  myPlan(@Body() body: EligibilityCriteriaDto): Promise<PlanDto> {
    return this.eligibility.plan(this.caller.as('applicant').personKey, body);
  }

  @Post('me/eligibility')
  @HttpCode(200)
  @Roles('applicant')
  @ApiOkResponse({ type: DecisionDto, description: "The decision on the caller's own ledger (the ID number comes from the token)" })
  @ApiUnprocessableEntityResponse({ description: INVALID })
  mine(@Body() body: EligibilityCriteriaDto): Promise<DecisionDto> {
    return this.eligibility.decide(this.caller.as('applicant').personKey, body);
  }
}
