import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApprovalDto } from '../../safety/approvals/dto/approval.dto';
import { ScheduledSendDto } from '../../schedule/dto/scheduled-send.dto';
import { SendResponseDto } from './send-response.dto';

/** POST /sms/approvals/{id}/approve: the decision, and the held message as Twilio accepted it. */
export class ApproveResponseDto {
  @ApiProperty({ type: ApprovalDto })
  approval!: ApprovalDto;

  @ApiProperty({
    type: SendResponseDto,
    nullable: true,
    description: 'The held message, sent; null when the approval held no message.',
  })
  message!: SendResponseDto | null;

  @ApiPropertyOptional({
    type: ScheduledSendDto,
    description:
      'The held message was a send for later, or would land in the recipient’s quiet hours: it is scheduled now, not sent.',
  })
  scheduled?: ScheduledSendDto;
}
