import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { MessagePageQueryDto } from '../../common/message-page-query.dto';

export class InboxQueryDto extends MessagePageQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'Also list texts suppressed by the per-sender inbound limit (status `suppressed`).',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'includeSuppressed must be true or false' })
  includeSuppressed?: boolean;
}
