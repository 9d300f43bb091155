import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ContactState } from '../contacts.service';

const CONTACT_STATES = [
  'approved',
  'pending',
  'denied',
  'opted_out',
] as const satisfies readonly ContactState[];

/** A number the bridge knows, and whether it may be texted. */
export class ContactDto {
  @ApiProperty({ example: '+15551234567' })
  number!: string;

  @ApiProperty({ enum: CONTACT_STATES, example: 'approved' })
  state!: ContactState;

  @ApiPropertyOptional({
    description:
      'How the number came to be in that state: operator, approval, inbound, keyword, twilio...',
    example: 'operator',
  })
  source?: string;

  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' })
  updatedAt!: string;
}

/** GET /sms/contacts. */
export class ContactListDto {
  @ApiProperty({ type: [ContactDto] })
  contacts!: ContactDto[];
}

/** POST /sms/contacts: the number as it stands after the operator's approval. */
export class ContactResponseDto {
  @ApiProperty({ type: ContactDto })
  contact!: ContactDto;
}
