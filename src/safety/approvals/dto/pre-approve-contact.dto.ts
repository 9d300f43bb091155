import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { E164_PATTERN } from '../../../common/e164';

export class PreApproveContactDto {
  @ApiProperty({ description: 'The number to approve, in E.164.', example: '+15551234567' })
  @IsString({ message: 'number must be a string' })
  @Matches(E164_PATTERN, { message: 'number must be an E.164 number such as +12025551234' })
  number!: string;
}
