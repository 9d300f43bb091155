import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { E164_PATTERN } from '../../common/e164';
import { IsBooleanQuery } from '../../common/is-boolean-query.decorator';
import { IsPageLimit } from '../../common/is-page-limit.decorator';

/** `?before=&limit=` of the conversation list. */
export class ConversationsQueryDto {
  @ApiPropertyOptional({
    description: 'The nextCursor of the last page (a number): the conversations after it.',
    example: '+15551234567',
  })
  @IsOptional()
  @Matches(E164_PATTERN, { message: 'before must be the nextCursor of the last page' })
  before?: string;

  @IsPageLimit(100)
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

  @IsPageLimit(50)
  limit?: number;

  @ApiPropertyOptional({ description: 'Also texts over the per-sender inbound limit.' })
  @IsOptional()
  @IsBooleanQuery('includeSuppressed')
  includeSuppressed?: boolean;
}
