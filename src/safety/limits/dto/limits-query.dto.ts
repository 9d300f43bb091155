import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { E164_PATTERN } from '../../../common/e164';

export class LimitsQueryDto {
  @ApiPropertyOptional({
    description: 'A recipient whose own daily usage to show (E.164).',
    example: '+15551234567',
  })
  @IsOptional()
  @IsString({ message: 'to must be a string' })
  @Matches(E164_PATTERN, { message: 'to must be an E.164 number such as +12025551234' })
  to?: string;
}
