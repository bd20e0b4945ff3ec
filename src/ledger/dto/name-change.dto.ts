import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsIdNumber, IsVisibleText } from '../../common/validation.js';

export class CreateNameChangeDto {
  @ApiProperty({ example: '11010519491231002X' })
  @IsIdNumber()
  idNumber: string;

  @ApiProperty({ example: '李思', description: 'The name entries must carry from now on' })
  @Length(1, 50)
  @IsVisibleText()
  @IsString()
  newName: string;

  @ApiProperty({ example: '户籍姓名变更（公安机关证明）' })
  @Length(1, 500)
  @IsVisibleText()
  @IsString()
  reason: string;
}

export class NameChangeCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '110105********002X' }) idNumberMasked: string;
  @ApiProperty() oldName: string;
  @ApiProperty() newName: string;
  @ApiProperty() reason: string;
  @ApiProperty() changedAt: string;
}
