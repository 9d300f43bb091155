import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Message } from '../../common/message';

export class LastMessageDto {
  @ApiProperty({ enum: ['inbound', 'outbound'] })
  direction!: 'inbound' | 'outbound';

  @ApiProperty({ example: 'See you at 7' })
  body!: string;

  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' })
  at!: string;

  @ApiProperty({ example: 'delivered' })
  status!: string;
}

/** One number the bridge has exchanged texts with. */
export class ConversationDto {
  @ApiProperty({ example: '+15551234567' })
  number!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['approved', 'pending', 'denied', 'opted_out'],
    description: 'As GET /sms/contacts says; null for a number the bridge has no opinion of.',
  })
  contactState!: string | null;

  @ApiProperty({ type: LastMessageDto })
  lastMessage!: LastMessageDto;

  @ApiProperty({ description: 'Texts received from the number (not the suppressed ones).' })
  inboundCount!: number;

  @ApiProperty({ description: 'Texts sent to the number.' })
  outboundCount!: number;

  @ApiProperty({ type: String, nullable: true, example: '2026-01-31T11:58:00.000Z' })
  lastInboundAt!: string | null;
}

export class ConversationPageDto {
  @ApiProperty({ type: [ConversationDto], description: 'Newest first.' })
  conversations!: ConversationDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The last number of this page: pass it as before for the next page.',
  })
  nextCursor!: string | null;

  @ApiProperty()
  hasMore!: boolean;
}

/**
 * A message in a conversation; a held one waits for the operator, a scheduled one for its
 * time.
 */
export class ConversationMessageDto extends Message {
  @ApiPropertyOptional({
    description: 'Only for status "held": the approval it waits for (its sid is the same id).',
  })
  approvalId?: string;

  @ApiPropertyOptional({
    example: '2026-02-01T09:00:00.000Z',
    description:
      'Only for status "scheduled": when it goes out (its sid is the id in GET /sms/scheduled).',
  })
  sendAt?: string;
}

export class ThreadDto {
  @ApiProperty({ example: '+15551234567' })
  number!: string;

  @ApiProperty({ type: String, nullable: true })
  contactState!: string | null;

  @ApiProperty({
    type: [ConversationMessageDto],
    description:
      'Both directions, oldest first; status is the delivery status, "received", "held", or "scheduled" (a send for later, listed where it was asked for).',
  })
  messages!: ConversationMessageDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The oldest message of this page: pass it as before for older ones.',
  })
  nextCursor!: string | null;

  @ApiProperty()
  hasMore!: boolean;
}
