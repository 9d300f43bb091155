import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditOutcome } from '../audit-entry';

const OUTCOMES = [
  'accepted',
  'held',
  'refused',
  'failed',
] as const satisfies readonly AuditOutcome[];

/** One record of the audit trail; fields that do not apply to the action are left out. */
export class AuditEntryDto {
  @ApiProperty({ type: 'integer', example: 42 })
  id!: number;

  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' })
  at!: string;

  @ApiProperty({ description: 'Ties the attempt to its outcome.', example: 'b5e0c3d1-…' })
  requestId!: string;

  @ApiProperty({
    description: 'send, request_approval, approve, deny, pre_approve, backup, inbound, opt_out...',
    example: 'send',
  })
  action!: string;

  @ApiProperty({ enum: ['attempt', 'outcome'] })
  phase!: 'attempt' | 'outcome';

  @ApiPropertyOptional({ description: "The caller's address.", example: '127.0.0.1' })
  caller?: string;

  @ApiPropertyOptional({ example: '+15551234567' })
  recipient?: string;

  @ApiPropertyOptional({ example: 'Test from the SMS bridge' })
  body?: string;

  @ApiPropertyOptional({ enum: OUTCOMES })
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ description: 'Why: the error code of a refusal or failure.' })
  reason?: string;

  @ApiPropertyOptional({ example: 'SM0123456789abcdef0123456789abcdef' })
  sid?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'What else the action recorded; its fields depend on the action.',
  })
  detail?: Record<string, unknown>;
}

/** GET /sms/audit: a page of the audit trail, oldest first; page with after=nextCursor. */
export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  entries!: AuditEntryDto[];

  /**
   * The last entry's id (or the `after` asked with, for an empty page). Entries are ordered
   * by id, so none repeats or is skipped, even when many share a millisecond.
   */
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The last entry's id: pass it as `after` for the next page.",
    example: 42,
  })
  nextCursor!: number | null;

  @ApiProperty()
  hasMore!: boolean;
}
