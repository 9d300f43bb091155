import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What POST /sms/send answers for a send that goes out later. */
export class ScheduledAnswerDto {
  @ApiProperty({ enum: ['scheduled'] })
  status!: 'scheduled';

  @ApiProperty({
    description: 'The scheduled entry: GET /sms/scheduled, DELETE /sms/scheduled/{id}.',
  })
  id!: string;

  @ApiProperty({ example: '2026-12-01T14:00:00.000Z' })
  sendAt!: string;

  @ApiProperty({ example: '+15551234567' })
  to!: string;

  @ApiPropertyOptional({
    enum: ['quiet_hours'],
    description: "The bridge moved it past the recipient's quiet hours.",
  })
  reason?: 'quiet_hours';
}
