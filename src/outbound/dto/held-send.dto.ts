import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What POST /sms/send answers when the message waits for the operator's approval. */
export class HeldSendDto {
  @ApiProperty({ enum: ['awaiting_approval'] })
  status!: 'awaiting_approval';

  @ApiProperty({
    description: 'The approval it waits for: GET /sms/approvals shows its status.',
    example: '3f1c9a2e-8b4d-4f6a-9c1e-2d7b5a0e4f18',
  })
  approvalId!: string;

  @ApiProperty({ example: '+15551234567' })
  to!: string;

  @ApiPropertyOptional({ description: 'A send for later: the id of its scheduled entry.' })
  id?: string;

  @ApiPropertyOptional({ description: 'A send for later: when it goes out once approved.' })
  sendAt?: string;
}
