import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { E164_PATTERN } from '../../../common/e164';

export class RequestApprovalDto {
  @IsString({ message: 'to must be a string' })
  @Matches(E164_PATTERN, { message: 'to must be an E.164 number such as +12025551234' })
  to!: string;

  /** The message to send once approved; without it, approval only lets later sends through. */
  @IsOptional()
  @IsString({ message: 'body must be a string' })
  @Length(1, 1600, { message: 'body must be 1 to 1600 characters' })
  @Matches(/\S/, { message: 'body must not be only whitespace' })
  body?: string;

  /** Why the agent wants to text this number, in words the operator will read. */
  @IsString({ message: 'reason must be a string' })
  @Length(1, 500, { message: 'reason must be 1 to 500 characters' })
  @Matches(/\S/, { message: 'reason must not be only whitespace' })
  reason!: string;
}
