import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { MessagePageQueryDto } from '../../common/message-page-query.dto';
import { IsBooleanQuery } from '../../common/is-boolean-query.decorator';

export class InboxQueryDto extends MessagePageQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'Also list texts suppressed by the per-sender inbound limit (status `suppressed`).',
  })
  @IsOptional()
  @IsBooleanQuery('includeSuppressed')
  includeSuppressed?: boolean;
}
