import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

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

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit?: number;
}
