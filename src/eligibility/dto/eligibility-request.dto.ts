import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsIdNumber, IsLedgerYear, NotAfterField } from '../../common/validation.js';
import { type Education, EDUCATIONS, type TitleLevel, TITLE_LEVELS, type Track, TRACKS } from '../../rules/engine/index.js';

/**
 * What an eligibility question names besides the person. Fields the applicable rule does not use
 * are accepted and ignored, so that a title system can send one request shape for every city;
 * a field the rule needs but the request lacks is a 422 naming it.
 */
export class EligibilityCriteriaDto {
  @ApiProperty({ example: 'lishui', description: 'A city with a rule set: lishui, quzhou or wenzhou' })
  @Matches(/^[a-z_]{2,32}$/, { message: 'FIELD.CITY' })
  @IsString()
  city: string;

  @ApiProperty({ example: 2024, description: 'The year of application (申报年度), 1990 to next year' })
  @IsLedgerYear()
  applicationYear: number;

  @ApiProperty({ enum: TRACKS, example: 'promotion', description: 'promotion (晋升) or initial determination (初定)' })
  @IsIn(TRACKS)
  track: Track;

  @ApiProperty({ enum: TITLE_LEVELS, example: 'intermediate' })
  @IsIn(TITLE_LEVELS)
  titleLevel: TitleLevel;

  @ApiPropertyOptional({ example: 5, minimum: 1, maximum: 20, description: 'Tenure years the title requires; needed for promotion in Lishui and Wenzhou' })
  @IsOptional()
  @Min(1)
  @Max(20)
  @IsInt()
  requiredYears?: number;

  @ApiPropertyOptional({ example: 2020, description: 'Lishui: first year of the qualifying period (default applicationYear − requiredYears + 1)' })
  @IsOptional()
  @NotAfterField('applicationYear')
  @IsLedgerYear()
  qualifyingSince?: number;

  @ApiPropertyOptional({ enum: EDUCATIONS, example: 'bachelor', description: 'Needed for Quzhou junior promotion and initial determination' })
  @IsOptional()
  @IsIn(EDUCATIONS)
  education?: Education;

  @ApiPropertyOptional({ example: 'engineering', description: 'Title series (系列); needed for Quzhou initial determination' })
  @IsOptional()
  @Matches(/^[a-z][a-z_]{1,39}$/, { message: 'FIELD.SERIES' })
  @IsString()
  series?: string;

  @ApiPropertyOptional({ example: 2019, description: 'Quzhou initial determination: first year of professional work, narrowing the window' })
  @IsOptional()
  @NotAfterField('applicationYear')
  @IsLedgerYear()
  workStartYear?: number;
}

export class EligibilityRequestDto extends EligibilityCriteriaDto {
  @ApiProperty({ example: '11010519491231002X' })
  @IsIdNumber()
  idNumber: string;

  @ApiPropertyOptional({ example: '2026年度中级职称资格审查', description: 'Why the person\'s data is read: shown to the person in their access log (查询记录)' })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  purpose?: string;
}
