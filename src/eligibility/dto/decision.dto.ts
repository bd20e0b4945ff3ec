import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CitationDto } from '../../rules/dto/rule-set.dto.js';

export class CheckCitationDto {
  @ApiProperty({ example: '五（一）规范继续教育' }) section: string;
  @ApiProperty() quote: string;
}

export class YearBreakdownDto {
  @ApiProperty({ example: 2021 }) year: number;
  @ApiPropertyOptional({ description: 'Counts of compliant years: whether the year met the annual minimum (or is deemed to)' }) compliant?: boolean;
  @ApiPropertyOptional({ description: 'The notice deems the year compliant' }) deemed?: boolean;
  @ApiProperty({ example: { total: 89.5, professional: 59.5, public: 30, generalPublic: 12 }, description: "The year's hours by measure" })
  actual: Record<string, number>;
  @ApiPropertyOptional({ example: { total: 0.5, professional: 0.5, public: 0, generalPublic: 0 }, description: 'Counts of compliant years: what the year lacks' })
  shortfall?: Record<string, number>;
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
  @ApiPropertyOptional({ type: [YearBreakdownDto], description: 'Checks over several years: one item per year of the window' }) years?: YearBreakdownDto[];
  @ApiPropertyOptional({ type: [String], example: ['professional'], description: 'Measures the rule names but this check could not apply' }) notChecked?: string[];
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
  @ApiProperty({ example: '不符合：2021年专业科目还差0.5学时；2020—2024年符合学时要求的年度为4年，需5年。', description: 'The decision in plain Chinese' })
  summary: string;
  @ApiProperty({ type: DecisionRuleSetDto }) ruleSet: DecisionRuleSetDto;
  @ApiProperty({ type: [CheckDto] }) checks: CheckDto[];
  @ApiProperty({ type: [String], example: ['省里另有规定的按其规定执行（丽人社函〔2024〕22号 五（一））。'] }) notes: string[];
}

export class HoursByCategoryDto {
  @ApiProperty({ example: 42 }) professional: number;
  @ApiProperty({ example: 12 }) generalPublic: number;
  @ApiProperty({ example: 6 }) industryPublic: number;
}

export class PlanYearDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ type: HoursByCategoryDto, description: 'Hours still to earn in that year' }) needed: HoursByCategoryDto;
}

export class PlanBlockerDto {
  @ApiProperty({ example: 2025 }) year: number;
  @ApiProperty({ example: '2025年未达到年度学时要求（专业科目差0.5学时），该年度已过，无法补足' }) reason: string;
}

export class PlanDto {
  @ApiProperty({ type: DecisionDto, description: 'The decision on the ledger as it stands' }) decision: DecisionDto;
  @ApiProperty({ description: 'Whether hours earned from this year on can make the request eligible' }) feasible: boolean;
  @ApiProperty({ type: [PlanYearDto], description: 'Each year from this year to the application year (empty when not feasible)' }) years: PlanYearDto[];
  @ApiProperty({ type: [PlanBlockerDto], description: 'Closed years (or the request itself) that no later hours can repair' }) blockers: PlanBlockerDto[];
}
