import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { ApprovalStatus } from '../approvals.repository';
import { APPROVAL_STATUSES } from './approval.dto';

export class ApprovalsQueryDto {
  @ApiPropertyOptional({ enum: APPROVAL_STATUSES, description: 'Only approvals in this status.' })
  @IsOptional()
  @IsIn(APPROVAL_STATUSES, {
    message: `status must be one of ${APPROVAL_STATUSES.join(', ')}`,
  })
  status?: ApprovalStatus;
}
