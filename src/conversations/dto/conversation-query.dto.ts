import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { E164_PATTERN } from '../../common/e164';
import { IsBooleanQuery } from '../../common/is-boolean-query.decorator';

const LIMIT = 'limit must be a whole number from 1 to 500';

/** `?before=&limit=` of the conversation list. */
export class ConversationsQueryDto {
  @ApiPropertyOptional({
    description: 'The nextCursor of the last page (a number): the conversations after it.',
    example: '+15551234567',
  })
  @IsOptional()
  @Matches(E164_PATTERN, { message: 'before must be the nextCursor of the last page' })
  before?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LIMIT })
  @Min(1, { message: LIMIT })
  @Max(500, { message: LIMIT })
  limit?: number;
}

/** `?before=&limit=&includeSuppressed=` of one conversation. */
export class ThreadQueryDto {
  @ApiPropertyOptional({
    description:
      'A message sid (the nextCursor of the last page) or an ISO-8601 time: the messages before it. Without it: the newest.',
    example: 'SM0123456789abcdef0123456789abcdef',
  })
  @IsOptional()
  @IsString({ message: 'before must be a message sid or an ISO-8601 time' })
  before?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LIMIT })
  @Min(1, { message: LIMIT })
  @Max(500, { message: LIMIT })
  limit?: number;

  @ApiPropertyOptional({ description: 'Also texts over the per-sender inbound limit.' })
  @IsOptional()
  @IsBooleanQuery('includeSuppressed')
  includeSuppressed?: boolean;
}
