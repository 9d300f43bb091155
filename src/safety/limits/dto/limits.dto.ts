import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Today's use of one daily limit. */
export class UsageDto {
  @ApiProperty({ example: 50 })
  limit!: number;

  @ApiProperty({ example: 3 })
  used!: number;

  @ApiProperty({ example: 47 })
  remaining!: number;
}

/** SMS_DAILY_LIMIT_PER_RECIPIENT; with `?to=`, that recipient's use of it today. */
export class RecipientUsageDto {
  @ApiProperty({ example: 10 })
  limit!: number;

  @ApiPropertyOptional({ description: 'With ?to= only.', example: '+15551234567' })
  to?: string;

  @ApiPropertyOptional({ description: 'With ?to= only.', example: 1 })
  used?: number;

  @ApiPropertyOptional({ description: 'With ?to= only.', example: 9 })
  remaining?: number;
}

/** GET /sms/limits: the daily budgets, over days in SMS_TIMEZONE. */
export class LimitsDto {
  @ApiProperty({ example: 'America/New_York' })
  timezone!: string;

  @ApiProperty({ description: 'Today in that time zone.', example: '2026-01-31' })
  day!: string;

  @ApiProperty({
    description: 'When the counts start again (the next midnight there), in UTC.',
    example: '2026-02-01T05:00:00.000Z',
  })
  resetsAt!: string;

  @ApiProperty({ type: UsageDto, description: 'SMS_DAILY_LIMIT: every send counts.' })
  total!: UsageDto;

  @ApiProperty({ type: RecipientUsageDto })
  perRecipient!: RecipientUsageDto;
}
