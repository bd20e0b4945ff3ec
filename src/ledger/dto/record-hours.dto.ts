import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JSONSchemaType } from 'ajv';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { IsIdNumber, IsVisibleText } from '../../common/validation.js';
import { MAX_HOURS_PER_ENTRY } from '../../common/hours.js';
import { CATEGORIES, type Category } from '../ledger.types.js';

export const MAX_BATCH_ENTRIES = 5000;

/** A provider's own record id: 1-128 letters, digits and -_.:/ */
const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9\-_.:/]{1,128}$/;

/** One entry of hours a provider awards. Checked by RECORD_HOURS_SCHEMA (see common/json-schema.ts). */
export interface RecordHoursDto {
  externalId: string;
  idNumber: string;
  personName: string;
  category: Category;
  hours: number;
  completedOn: string;
  courseTitle: string;
}

export interface RecordHoursBatchDto {
  entries: RecordHoursDto[];
}

/** Not blank: at least one character that shows (see common/text.ts). */
const NOT_BLANK = { 'x-visible-text': true };

export const RECORD_HOURS_SCHEMA: JSONSchemaType<RecordHoursDto> = {
  type: 'object',
  additionalProperties: false,
  required: ['externalId', 'idNumber', 'personName', 'category', 'hours', 'completedOn', 'courseTitle'],
  properties: {
    externalId: {
      type: 'string',
      pattern: EXTERNAL_ID_PATTERN.source,
      'x-message': 'FIELD.EXTERNAL_ID',
      description: "The provider's own record id: 1-128 letters, digits and -_.:/",
      example: 'course-2024-0001:student-17',
    },
    idNumber: { type: 'string', 'x-id-number': true, description: 'Resident ID number (GB 11643); never returned in clear', example: '11010519491231002X' },
    personName: { type: 'string', maxLength: 50, ...NOT_BLANK, example: '张三' },
    category: { type: 'string', enum: [...CATEGORIES], example: 'professional' },
    hours: { type: 'number', 'x-hours': true, description: `More than 0, at most ${MAX_HOURS_PER_ENTRY}, at most one decimal`, example: 1.5 },
    completedOn: {
      type: 'string',
      'x-ledger-date': true,
      description: 'Completion date YYYY-MM-DD; fixes the ledger year. Not in the future, not before 1990.',
      example: '2024-05-20',
    },
    courseTitle: { type: 'string', maxLength: 200, ...NOT_BLANK, example: '建设工程质量管理专题' },
  },
};

export const RECORD_HOURS_BATCH_SCHEMA: JSONSchemaType<RecordHoursBatchDto> = {
  type: 'object',
  additionalProperties: false,
  required: ['entries'],
  properties: {
    entries: { type: 'array', minItems: 1, maxItems: MAX_BATCH_ENTRIES, items: RECORD_HOURS_SCHEMA },
  },
};

export class ReverseEntryDto {
  @ApiProperty({ example: '学员未完成考核，学时作废', minLength: 1, maxLength: 500 })
  @Length(1, 500)
  @IsVisibleText()
  @IsString()
  reason: string;
}

export class ReverseByExternalIdDto extends ReverseEntryDto {
  @ApiProperty({ example: 'course-2024-0001:student-17', description: "The provider's own record id of the entry to reverse (its latest posting)" })
  @Matches(EXTERNAL_ID_PATTERN, { message: 'FIELD.EXTERNAL_ID' })
  @IsString()
  externalId: string;
}

export class HoursLookupDto {
  @ApiProperty({ example: '11010519491231002X', description: 'The person whose entries (recorded by this provider) to list' })
  @IsIdNumber()
  idNumber: string;
}

export class HoursListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only entries whose course title contains this' })
  @IsOptional()
  @Length(1, 100)
  @IsString()
  course?: string;

  @ApiPropertyOptional({ example: '2024-05-20', description: 'Only entries completed on this date' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'FIELD.DATE_FORMAT' })
  @IsString()
  completedOn?: string;

  @ApiPropertyOptional({ description: "Only the postings of this externalId (the provider's own record id) and their reversals" })
  @IsOptional()
  @Matches(EXTERNAL_ID_PATTERN, { message: 'FIELD.EXTERNAL_ID' })
  @IsString()
  externalId?: string;
}
