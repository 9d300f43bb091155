import { IsString, Matches } from 'class-validator';
import { E164_PATTERN } from '../../../common/e164';

export class PreApproveContactDto {
  @IsString({ message: 'number must be a string' })
  @Matches(E164_PATTERN, { message: 'number must be an E.164 number such as +12025551234' })
  number!: string;
}
