import { ApiProperty } from '@nestjs/swagger';
import type { RuleSet } from '../engine/index.js';

export class CitationDto {
  @ApiProperty({ example: '丽人社函〔2024〕22号' }) document: string;
  @ApiProperty({ example: '五（一）规范继续教育' }) section: string;
  @ApiProperty({ example: '专业技术人才每年参加继续教育累计不少于90学时，其中专业科目不少于60学时……' }) quote: string;
}

export class RuleSetDto {
  @ApiProperty({ example: 'lishui-2024' }) id: string;
  @ApiProperty({ example: 'lishui' }) city: string;
  @ApiProperty({ example: '丽水' }) cityName: string;
  @ApiProperty({ example: 2024, description: 'The first application year the notice governs' }) effectiveFrom: number;
  @ApiProperty({ type: CitationDto }) citation: CitationDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'annualMinimum, deemedCompliantBefore, examSeries, professionalHoursBySeries, notes and, per track, the rules and checks that apply',
    example: { annualMinimum: { total: 90, professional: 60, public: 18, generalPublic: 12 }, deemedCompliantBefore: 2019 },
  })
  parameters: Record<string, unknown>;

  static from(ruleSet: RuleSet): RuleSetDto {
    return { ...ruleSet, parameters: { ...ruleSet.parameters } };
  }
}

export class SeriesDto {
  @ApiProperty({ example: 'engineering' }) code: string;
  @ApiProperty({ example: '工程' }) name: string;
}
