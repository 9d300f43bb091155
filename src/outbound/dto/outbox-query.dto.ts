import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { E164_PATTERN } from '../../common/e164';
import { MessagePageQueryDto } from '../../common/message-page-query.dto';
import { OUTBOUND_STATUSES } from '../delivery-status';

/** `sending` is also the bridge's own status while it waits for Twilio's answer. */
const STATUSES = [...new Set(['sending', ...OUTBOUND_STATUSES])];

export class OutboxQueryDto extends MessagePageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES, example: 'delivered' })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({
    description: 'Only messages to this E.164 number.',
    example: '+15551234567',
  })
  @IsOptional()
  @Matches(E164_PATTERN, { message: 'to must be an E.164 number such as +12025551234' })
  to?: string;
}
