import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { E164_PATTERN } from '../../../common/e164';
import { IsSmsBody } from '../../message/is-sms-body.decorator';
import { MAX_REASON_LENGTH } from '../../message/message-limits';

export class RequestApprovalDto {
  @IsString({ message: 'to must be a string' })
  @Matches(E164_PATTERN, { message: 'to must be an E.164 number such as +12025551234' })
  to!: string;

  /** The message to send once approved; without it, approval only lets later sends through. */
  @IsOptional()
  @IsSmsBody()
  body?: string;

  /** Why the agent wants to text this number, in words the operator will read. */
  @IsString({ message: 'reason must be a string' })
  @Length(1, MAX_REASON_LENGTH, { message: `reason must be 1 to ${MAX_REASON_LENGTH} characters` })
  @Matches(/\S/, { message: 'reason must not be only whitespace' })
  reason!: string;
}
