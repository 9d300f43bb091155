import { ApiProperty } from '@nestjs/swagger';
import { SCHEDULED_STATUSES, ScheduledStatus } from '../scheduled-status';

/** A send waiting for its time, or what became of it. */
export class ScheduledSendDto {
  @ApiProperty({ example: '6f1c2b1e-8d1a-4c55-9e1f-2a3b4c5d6e7f' })
  id!: string;

  @ApiProperty({ example: '+15551234567' })
  to!: string;

  @ApiProperty({ example: 'Happy birthday!' })
  body!: string;

  @ApiProperty({ type: [String] })
  mediaUrl!: string[];

  @ApiProperty({ example: '2026-12-01T14:00:00.000Z', description: 'When it goes (or went) out.' })
  sendAt!: string;

  @ApiProperty({
    enum: SCHEDULED_STATUSES,
    description:
      'scheduled: waits for sendAt; awaiting_approval: held for the operator, scheduled once approved; sending; sent (sid); refused (errorCode: a rule refused it when due, such as recipient_opted_out or daily_limit_reached); failed (Twilio refused it); unknown (a crash cut the send short: it may have gone out, and is never sent twice; so too when the bridge came back more than SMS_SCHEDULE_MAX_LATE_MINUTES, or 24 h, after its time); cancelled; expired (it fell due more than SMS_SCHEDULE_MAX_LATE_MINUTES ago, while the bridge was down).',
  })
  status!: ScheduledStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'quiet_hours',
    description: "quiet_hours when the bridge moved it past the recipient's quiet hours.",
  })
  reason!: string | null;

  @ApiProperty({ type: String, nullable: true })
  approvalId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  sid!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  errorCode!: string | null;

  @ApiProperty({ example: '2026-11-30T12:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-30T12:00:00.000Z' })
  updatedAt!: string;
}
