import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { RuleSetDto, SeriesDto } from '../rules/dto/rule-set.dto.js';
import { RuleSetsService } from '../rules/rule-sets.service.js';

@ApiTags('rules')
@ApiBearerAuth()
@Roles('admin', 'provider', 'title_system', 'applicant')
@Controller('api/v1/rules')
export class RulesController {
  constructor(private readonly ruleSets: RuleSetsService) {}

  @Get()
  @ApiOkResponse({ type: [RuleSetDto], description: 'Every published rule set, each citing its notice' })
  list(): RuleSetDto[] {
    return this.ruleSets.all().map(RuleSetDto.from);
  }

  @Get('series')
  @ApiOkResponse({ type: [SeriesDto], description: 'The title series (职称系列) a request may name, with their Chinese names' })
  series(): SeriesDto[] {
    return this.ruleSets.series().map(({ code, name }) => ({ code, name }));
  }

  @Get(':id')
  @ApiOkResponse({ type: RuleSetDto })
  @ApiNotFoundResponse({ description: 'No rule set with that id' })
  one(@Param('id') id: string): RuleSetDto {
    return RuleSetDto.from(this.ruleSets.byId(id));
  }
}
