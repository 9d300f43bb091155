import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsPageLimit } from './is-page-limit.decorator';

/** `?since=&limit=` of every message list. */
export class MessagePageQueryDto {
  /** An ISO-8601 time or a message sid; the page holds what came after it. */
  @ApiPropertyOptional({
    description:
      'An ISO-8601 time or a message sid (pass the previous nextCursor); the page holds what came after it. Without it: the newest messages.',
    example: '2026-01-31T12:00:00Z',
  })
  @IsOptional()
  @IsString({ message: 'since must be an ISO-8601 time or a message sid' })
  since?: string;

  @IsPageLimit(100)
  limit?: number;
}
