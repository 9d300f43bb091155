import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TwilioMode } from '../../config/app-config';

/** One check of readiness. */
export class CheckResultDto {
  @ApiProperty()
  ok!: boolean;

  @ApiPropertyOptional({ description: 'What is wrong and what to do, when not ok.' })
  problem?: string;
}

export class DiskCheckDto extends CheckResultDto {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Free MB where the database is; null when it cannot be read.',
    example: 20480,
  })
  freeMb!: number | null;

  @ApiProperty({ type: 'integer', description: 'SMS_MIN_FREE_DISK_MB.', example: 100 })
  minFreeMb!: number;
}

/** The account behind the credentials, as Twilio's Accounts API describes it. */
export class TwilioAccountDto {
  @ApiProperty({ enum: ['Trial', 'Full'] })
  type!: 'Trial' | 'Full';

  @ApiProperty({ example: 'active' })
  status!: string;
}

/** The verdict on the Twilio credentials, checked at boot (and retried while unreachable). */
export class TwilioCheckDto extends CheckResultDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'When Twilio last answered (or failed to); null while the first call is under way.',
    example: '2026-01-31T12:00:00.000Z',
  })
  checkedAt!: string | null;

  @ApiPropertyOptional({ type: TwilioAccountDto })
  account?: TwilioAccountDto;

  @ApiPropertyOptional({
    type: [String],
    description: 'What a trial account cannot do.',
  })
  trialLimits?: string[];

  @ApiPropertyOptional({
    description: 'The error code of a failed check.',
    example: 'twilio_auth_failed',
  })
  code?: string;
}

/** Pushes to the agent's hook (SMS_FORWARD_URL); present only when configured. */
export class ForwardCheckDto extends CheckResultDto {
  @ApiPropertyOptional({
    description: 'When the hook first refused the settings; pushes are halted since.',
    example: '2026-01-31T12:00:00.000Z',
  })
  failingSince?: string;
}

export class ReadinessChecksDto {
  @ApiProperty({ type: CheckResultDto, description: 'The database takes a commit.' })
  database!: CheckResultDto;

  @ApiProperty({ type: DiskCheckDto })
  disk!: DiskCheckDto;

  @ApiProperty({ type: TwilioCheckDto })
  twilio!: TwilioCheckDto;

  @ApiPropertyOptional({ type: ForwardCheckDto })
  forward?: ForwardCheckDto;
}

/** GET /health/ready, with 200 (ready) and 503 (not_ready) alike. */
export class ReadinessDto {
  @ApiProperty({ enum: ['ready', 'not_ready'] })
  status!: 'ready' | 'not_ready';

  @ApiProperty({ enum: ['twilio', 'simulator'] })
  mode!: TwilioMode;

  @ApiProperty({ type: ReadinessChecksDto })
  checks!: ReadinessChecksDto;
}
