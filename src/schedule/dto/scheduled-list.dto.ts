import { ApiProperty } from '@nestjs/swagger';
import { ScheduledSendDto } from './scheduled-send.dto';

/** GET /sms/scheduled: sends for later, soonest first. */
export class ScheduledListDto {
  @ApiProperty({ type: [ScheduledSendDto] })
  scheduled!: ScheduledSendDto[];
}
