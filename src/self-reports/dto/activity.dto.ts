import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JSONSchemaType } from 'ajv';
import { IsIn, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { CATEGORIES, type Category } from '../../ledger/ledger.types.js';
import { IsVisibleText } from '../../common/validation.js';

/** The text fields of a report (multipart form fields; `hours` arrives as text and is read as a number first). */
export interface ActivityFields {
  activityType: string;
  category: Category;
  hours: number;
  completedOn: string;
  title: string;
  organiser: string;
  employerOrgCode: string;
  personName?: string;
}

const NOT_BLANK = { 'x-visible-text': true };

export const ACTIVITY_FIELDS_SCHEMA: JSONSchemaType<ActivityFields> = {
  type: 'object',
  additionalProperties: false,
  required: ['activityType', 'category', 'hours', 'completedOn', 'title', 'organiser', 'employerOrgCode'],
  properties: {
    activityType: { type: 'string', maxLength: 40, description: 'A code of GET /api/v1/activity-types', example: 'academic_exchange' },
    category: { type: 'string', enum: [...CATEGORIES], example: 'professional' },
    hours: { type: 'number', 'x-hours': true, description: 'At least 0.1, at most one decimal, within the type’s caps', example: 8 },
    completedOn: { type: 'string', 'x-ledger-date': true, description: 'YYYY-MM-DD, not in the future; fixes the ledger year', example: '2025-10-18' },
    title: { type: 'string', maxLength: 200, ...NOT_BLANK, example: '2025年浙江省土木建筑学会年会（大会报告）' },
    organiser: { type: 'string', maxLength: 200, ...NOT_BLANK, example: '浙江省土木建筑学会' },
    employerOrgCode: { type: 'string', 'x-org-code': true, description: 'The employer’s 统一社会信用代码 (registered with the service)', example: '91330100MA2B3C4D5E' },
    personName: { type: 'string', maxLength: 50, ...NOT_BLANK, nullable: true, description: 'Needed only when the service knows no name for the applicant yet', example: '张三' },
  },
};

export const REVIEW_DECISIONS = ['approve', 'reject'] as const;

export class ReviewDecisionDto {
  @ApiProperty({ enum: REVIEW_DECISIONS })
  @IsIn(REVIEW_DECISIONS)
  decision: (typeof REVIEW_DECISIONS)[number];

  @ApiPropertyOptional({ example: '证明材料中会议日期与所填完成日期不一致，请核对后重新申报。', description: 'Required to reject; at most 500 characters' })
  @ValidateIf((dto: ReviewDecisionDto) => dto.decision === 'reject' || dto.comment !== undefined)
  @Length(1, 500)
  @IsVisibleText()
  @IsString()
  comment?: string;
}

export class ReviewQueueQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'decided'], default: 'pending', description: 'pending: what awaits your stage; decided: what you approved, rejected or reversed' })
  @IsOptional()
  @IsIn(['pending', 'decided'])
  status?: 'pending' | 'decided';
}
