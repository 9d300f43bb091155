import { IsIn, IsOptional } from 'class-validator';
import type { ApprovalStatus } from '../approvals.repository';

export class ApprovalsQueryDto {
  @IsOptional()
  @IsIn(['pending', 'approved', 'denied', 'expired'], {
    message: 'status must be one of pending, approved, denied, expired',
  })
  status?: ApprovalStatus;
}
