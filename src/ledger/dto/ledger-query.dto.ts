import { ApiProperty } from '@nestjs/swagger';
import { IsIdNumber } from '../../common/validation.js';

export class LedgerQueryDto {
  @ApiProperty({ example: '11010519491231002X' })
  @IsIdNumber()
  idNumber: string;
}
