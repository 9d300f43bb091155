import { ApiProperty } from '@nestjs/swagger';

/** A text to or from an operator phone, its code masked. */
export class OperatorTextDto {
  @ApiProperty()
  id!: number;

  @ApiProperty({ enum: ['inbound', 'outbound'] })
  direction!: 'inbound' | 'outbound';

  @ApiProperty({ enum: ['notification', 'confirmation', 'lockout', 'approvals_full', 'reply'] })
  kind!: string;

  @ApiProperty({ example: '+15551239000' })
  number!: string;

  @ApiProperty({ example: 'Reply YES ****** to send, NO ****** to refuse.' })
  body!: string;

  @ApiProperty({ type: String, nullable: true })
  sid!: string | null;

  @ApiProperty({
    description:
      "Outbound: Twilio's status, sending, failed, over_cap, refused or stopped (the phone texted STOP). Inbound: what the reply did: approved, denied, wrong_code, locked, stop, start, ignored, failed.",
  })
  status!: string;

  @ApiProperty({ type: String, nullable: true })
  approvalId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it was not sent.' })
  error!: string | null;

  @ApiProperty()
  createdAt!: string;
}

export class OperatorTextPageDto {
  @ApiProperty({ type: [OperatorTextDto] })
  texts!: OperatorTextDto[];

  @ApiProperty({ type: Number, nullable: true, description: 'Pass as before for older texts.' })
  nextCursor!: number | null;

  @ApiProperty()
  hasMore!: boolean;
}
