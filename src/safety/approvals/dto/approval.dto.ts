import { ApiProperty } from '@nestjs/swagger';
import type { ApprovalStatus } from '../approvals.repository';

export const APPROVAL_STATUSES = [
  'pending',
  'approved',
  'denied',
  'expired',
] as const satisfies readonly ApprovalStatus[];

/** A message or a number waiting for (or given) the operator's decision. */
export class ApprovalDto {
  @ApiProperty({ example: '3f1c9a2e-8b4d-4f6a-9c1e-2d7b5a0e4f18' })
  id!: string;

  @ApiProperty({ example: '+15551234567' })
  to!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The message to send when approved; null for a request to text the number at all.',
    example: 'Test from the SMS bridge',
  })
  body!: string | null;

  @ApiProperty({
    type: [String],
    description: 'The media URLs of a held MMS, sent with the body when approved.',
  })
  mediaUrl!: string[];

  @ApiProperty({ enum: APPROVAL_STATUSES, example: 'pending' })
  status!: ApprovalStatus;

  @ApiProperty({
    description: "Why the message waits: the agent's reason, or why the bridge held it.",
    example: 'First message to a number that is not approved and has not texted this bridge.',
  })
  reason!: string;

  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  decidedAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Who decided: the address the operator called from.',
    example: null,
  })
  decidedBy!: string | null;
}

/** GET /sms/approvals. */
export class ApprovalListDto {
  @ApiProperty({ type: [ApprovalDto] })
  approvals!: ApprovalDto[];
}

/** One approval, as requested or denied. */
export class ApprovalResponseDto {
  @ApiProperty({ type: ApprovalDto })
  approval!: ApprovalDto;
}
