import { IsOptional, IsString, Matches } from 'class-validator';
import { E164_PATTERN } from '../../../common/e164';

export class LimitsQueryDto {
  /** A recipient whose own daily usage to show. */
  @IsOptional()
  @IsString({ message: 'to must be a string' })
  @Matches(E164_PATTERN, { message: 'to must be an E.164 number such as +12025551234' })
  to?: string;
}
