import { ApiProperty } from '@nestjs/swagger';
import { ScheduledSendDto } from './scheduled-send.dto';

/** DELETE /sms/scheduled/{id}: the send for later, now cancelled. */
export class CancelledSendDto {
  @ApiProperty({ type: ScheduledSendDto })
  scheduled!: ScheduledSendDto;
}
