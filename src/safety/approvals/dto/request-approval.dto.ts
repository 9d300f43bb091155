import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { E164_PATTERN } from '../../../common/e164';
import { IsSmsBody, IsSmsReason } from '../../message/is-sms-body.decorator';
import { MAX_BODY_LENGTH, MAX_REASON_LENGTH } from '../../message/message-limits';

export class RequestApprovalDto {
  @ApiProperty({
    description: 'The number the agent wants to text, in E.164.',
    example: '+15551234567',
  })
  @IsString({ message: 'to must be a string' })
  @Matches(E164_PATTERN, { message: 'to must be an E.164 number such as +12025551234' })
  to!: string;

  @ApiPropertyOptional({
    description: `The message to send once approved (1 to ${MAX_BODY_LENGTH} characters, at most 10 SMS segments); without it, approval only lets later sends through.`,
    example: 'Hello, this is the assistant of Alex.',
  })
  @IsOptional()
  @IsSmsBody()
  body?: string;

  @ApiProperty({
    description:
      "Why the agent wants to text this number, in words the operator will read; the body's character rules apply (no control, bidi or invisible characters).",
    minLength: 1,
    maxLength: MAX_REASON_LENGTH,
    example: 'Alex asked me to confirm the plumber for Tuesday.',
  })
  @IsSmsReason()
  reason!: string;
}
