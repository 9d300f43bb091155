import { ApiProperty } from '@nestjs/swagger';

/** What POST /sms/send answers when Twilio accepted the message. */
export class SendResponseDto {
  @ApiProperty({ example: 'SM0123456789abcdef0123456789abcdef' })
  sid!: string;

  @ApiProperty({
    example: 'queued',
    description: 'queued, or accepted through a Messaging Service',
  })
  status!: string;

  @ApiProperty({ example: '+15551234567' })
  to!: string;

  @ApiProperty({
    example: '+15005550006',
    description: 'The sending number, or the Messaging Service sid until Twilio picks a number.',
  })
  from!: string;

  @ApiProperty({ example: 1, description: 'SMS segments the body costs, counted before sending.' })
  segments!: number;

  @ApiProperty({ enum: ['GSM-7', 'UCS-2'] })
  encoding!: 'GSM-7' | 'UCS-2';

  @ApiProperty({ type: String, nullable: true, example: null })
  messagingServiceSid!: string | null;

  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' })
  createdAt!: string;
}
