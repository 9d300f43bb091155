import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class MessageMedia {
  @ApiProperty({ example: 'https://api.twilio.com/2010-04-01/Accounts/AC.../Media/ME...' })
  url!: string;

  /** Known for inbound media (Twilio says); null for outbound, where Twilio fetches the URL. */
  @ApiProperty({ type: String, nullable: true, example: 'image/jpeg' })
  contentType!: string | null;
}

/** One status an outbound message went through. */
export class MessageStatusChange {
  @ApiProperty({ example: 'delivered' })
  status!: string;

  @ApiProperty({ type: Number, nullable: true, example: null })
  errorCode!: number | null;

  @ApiProperty({ example: '2026-01-31T12:00:03.000Z' })
  at!: string;
}

/** One message as the API shows it, whichever way it went. */
export class Message {
  /** The Twilio sid; for an outbound message Twilio never accepted, the bridge's own id. */
  @ApiProperty({ example: 'SM0123456789abcdef0123456789abcdef' })
  sid!: string;

  @ApiProperty({ enum: ['inbound', 'outbound'] })
  direction!: 'inbound' | 'outbound';

  @ApiProperty({ example: '+15005550006' })
  from!: string;

  @ApiProperty({ example: '+15551234567' })
  to!: string;

  @ApiProperty({ example: 'Test from the SMS bridge' })
  body!: string;

  @ApiProperty({ type: [MessageMedia] })
  media!: MessageMedia[];

  @ApiProperty({
    example: 'delivered',
    description:
      'received (inbound); sending, accepted, scheduled, queued, sent, delivered, undelivered, failed, canceled, read (outbound)',
  })
  status!: string;

  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' })
  createdAt!: string;

  @ApiPropertyOptional({ example: '2026-01-31T12:00:03.000Z' })
  updatedAt?: string;

  @ApiPropertyOptional({ description: 'Segments the bridge counted before sending.', example: 1 })
  segments?: number;

  @ApiPropertyOptional({ enum: ['GSM-7', 'UCS-2'] })
  encoding?: 'GSM-7' | 'UCS-2';

  @ApiPropertyOptional({ type: Number, nullable: true, description: "Twilio's num_segments." })
  twilioSegments?: number | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'MG0123456789abcdef0123456789abcdef',
  })
  messagingServiceSid?: string | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Twilio error code (https://www.twilio.com/docs/api/errors), e.g. 30007.',
  })
  errorCode?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  errorMessage?: string | null;

  @ApiPropertyOptional({ type: [MessageStatusChange] })
  history?: MessageStatusChange[];

  @ApiPropertyOptional({
    type: Boolean,
    description:
      'Inbound only, and only when true: the text mentions opting out ("Stop by at 5?", "please don\'t remove me") but was not read as an opt-out. Read it before texting this person again.',
  })
  optOutHint?: boolean;
}

/** A page of messages in time order; pass `nextCursor` back as `since` for what came after. */
export class MessagePage {
  @ApiProperty({ type: [Message] })
  messages!: Message[];

  @ApiProperty({ type: String, nullable: true, example: 'SM0123456789abcdef0123456789abcdef' })
  nextCursor!: string | null;

  @ApiProperty()
  hasMore!: boolean;
}

/** A Twilio message sid: SM (SMS) or MM (MMS) and 32 hex digits. */
export const MESSAGE_SID_PATTERN = /^(SM|MM)[0-9a-f]{32}$/;

/** Where a message sits in a conversation: its time and its row's place in its own table. */
export interface ThreadEntry {
  message: Message;
  at: string;
  seq: number;
}

/**
 * "Before this point" of a conversation, for one table: earlier than `at`, or at the same
 * instant with a row number below `seq` (0: none at that instant; Infinity: all of them).
 */
export interface ThreadBound {
  at: string;
  seq: number;
}

/** One number's side of the conversation list, from one table. */
export interface Correspondent {
  number: string;
  count: number;
  last: Message;
}
