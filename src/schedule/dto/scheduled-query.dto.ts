import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SCHEDULED_STATUSES, ScheduledStatus } from '../scheduled-status';

export class ScheduledQueryDto {
  @ApiPropertyOptional({ enum: SCHEDULED_STATUSES, description: 'Only sends in this status.' })
  @IsOptional()
  @IsIn(SCHEDULED_STATUSES, { message: `status must be one of ${SCHEDULED_STATUSES.join(', ')}` })
  status?: ScheduledStatus;
}
