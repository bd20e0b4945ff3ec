import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { MAX_HOURS_PER_ENTRY } from '../../common/hours.js';
import { IsHours, IsIdNumber, IsLedgerDate } from '../../common/validation.js';
import { CATEGORIES, type Category } from '../ledger.types.js';

export const MAX_BATCH_ENTRIES = 5000;

export class RecordHoursDto {
  @ApiProperty({ example: 'course-2024-0001:student-17', description: "The provider's own record id: 1-128 letters, digits and -_.:/" })
  @Matches(/^[A-Za-z0-9\-_.:/]{1,128}$/, { message: 'externalId must be 1-128 letters, digits or -_.:/' })
  @IsString()
  externalId: string;

  @ApiProperty({ example: '11010519491231002X', description: 'Resident ID number (GB 11643); never returned in clear' })
  @IsIdNumber()
  idNumber: string;

  @ApiProperty({ example: '张三', minLength: 1, maxLength: 50 })
  @Length(1, 50)
  @Matches(/\S/, { message: 'personName must not be blank' })
  @IsString()
  personName: string;

  @ApiProperty({ enum: CATEGORIES, example: 'professional' })
  @IsIn(CATEGORIES)
  category: Category;

  @ApiProperty({ example: 1.5, minimum: 0.1, maximum: MAX_HOURS_PER_ENTRY, description: 'More than 0, at most 500, at most one decimal' })
  @IsHours()
  hours: number;

  @ApiProperty({ example: '2024-05-20', description: 'Completion date; fixes the ledger year. Not in the future, not before 1990.' })
  @IsLedgerDate()
  completedOn: string;

  @ApiProperty({ example: '建设工程质量管理专题', minLength: 1, maxLength: 200 })
  @Length(1, 200)
  @Matches(/\S/, { message: 'courseTitle must not be blank' })
  @IsString()
  courseTitle: string;
}

export class RecordHoursBatchDto {
  @ApiProperty({ type: [RecordHoursDto], minItems: 1, maxItems: MAX_BATCH_ENTRIES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => RecordHoursDto)
  entries: RecordHoursDto[];
}

export class ReverseEntryDto {
  @ApiProperty({ example: '学员未完成考核，学时作废', minLength: 1, maxLength: 500 })
  @Length(1, 500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  @IsString()
  reason: string;
}
