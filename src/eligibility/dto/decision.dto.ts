import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CitationDto } from '../../rules/dto/rule-set.dto.js';

export class CheckCitationDto {
  @ApiProperty({ example: '五（一）规范继续教育' }) section: string;
  @ApiProperty() quote: string;
}

export class CheckDto {
  @ApiProperty({ example: 'YEAR_COMPLIANT', description: 'YEAR_COMPLIANT, COMPLIANT_YEAR_COUNT, CUMULATIVE_HOURS, INITIAL_DETERMINATION_HOURS or EXAM_SERIES' })
  code: string;
  @ApiProperty() passed: boolean;
  @ApiPropertyOptional({ example: 2023 }) year?: number;
  @ApiPropertyOptional({ example: 2021 }) fromYear?: number;
  @ApiPropertyOptional({ example: 2023 }) toYear?: number;
  @ApiPropertyOptional({ description: 'The year passes because the notice deems it compliant' }) deemed?: boolean;
  @ApiProperty({ example: { total: 90, professional: 60, public: 18, generalPublic: 12 }, description: 'Hours by measure (years for COMPLIANT_YEAR_COUNT)' })
  required: Record<string, number>;
  @ApiProperty({ example: { total: 88, professional: 60, public: 28, generalPublic: 10 } }) actual: Record<string, number>;
  @ApiProperty({ example: { total: 2, professional: 0, public: 0, generalPublic: 2 } }) shortfall: Record<string, number>;
  @ApiProperty({ type: CheckCitationDto }) citation: CheckCitationDto;
}

export class DecisionRuleSetDto {
  @ApiProperty({ example: 'lishui-2024' }) id: string;
  @ApiProperty({ example: 'lishui' }) city: string;
  @ApiProperty({ example: 2024 }) effectiveFrom: number;
  @ApiProperty({ type: CitationDto }) citation: CitationDto;
}

export class DecisionDto {
  @ApiProperty({ enum: ['eligible', 'ineligible', 'undetermined'], example: 'ineligible' }) decision: string;
  @ApiProperty({ type: DecisionRuleSetDto }) ruleSet: DecisionRuleSetDto;
  @ApiProperty({ type: [CheckDto] }) checks: CheckDto[];
  @ApiProperty({ type: [String], example: ['省里另有规定的按其规定执行（丽人社函〔2024〕22号 五（一））。'] }) notes: string[];
}
