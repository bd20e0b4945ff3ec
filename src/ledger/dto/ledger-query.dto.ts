import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsIdNumber } from '../../common/validation.js';

export class LedgerQueryDto {
  @ApiProperty({ example: '11010519491231002X' })
  @IsIdNumber()
  idNumber: string;

  @ApiPropertyOptional({ example: '2026年度中级职称资格审查', description: 'Why the person\'s data is read: shown to the person in their access log (查询记录)' })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  purpose?: string;
}
