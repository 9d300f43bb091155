import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TwilioMode } from '../../config/app-config';

/** Which sender Twilio is asked to use. */
export class SenderDto {
  @ApiProperty({ enum: ['phone_number', 'messaging_service'] })
  kind!: 'phone_number' | 'messaging_service';

  @ApiProperty({ type: String, nullable: true, example: '+12025551234' })
  phoneNumber!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  messagingServiceSid!: string | null;
}

/** GET /health: 200 with status ok, 503 with status unavailable and a code. */
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status!: 'ok' | 'unavailable';

  @ApiPropertyOptional({
    enum: ['storage_unavailable'],
    description: 'Why the bridge is unavailable (503 only); the detail is on GET /health/ready.',
  })
  code?: 'storage_unavailable';

  @ApiProperty({ enum: ['twilio', 'simulator'] })
  mode!: TwilioMode;

  @ApiPropertyOptional({
    description: 'In simulator mode only: that nothing real is sent or received.',
    example: 'SIMULATOR MODE: no Twilio credentials; nothing real is sent or received',
  })
  simulator?: string;

  @ApiProperty({ type: SenderDto })
  sender!: SenderDto;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({ enum: ['ok', 'error'] })
  database!: 'ok' | 'error';
}
