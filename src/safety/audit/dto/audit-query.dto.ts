import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

export class AuditQueryDto {
  @ApiPropertyOptional({
    description:
      'An ISO-8601 time; the page holds entries at or after it. Default without `after`: the last 24 hours.',
    example: '2026-01-31T12:00:00Z',
  })
  @IsOptional()
  @IsISO8601(
    { strict: true },
    { message: 'since must be an ISO-8601 time such as 2026-01-31T12:00:00Z' },
  )
  since?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: "The previous page's nextCursor: the page holds entries with a greater id.",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'after must be an audit entry id (a whole number)' })
  @Min(0, { message: 'after must be an audit entry id (a whole number)' })
  after?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 1000' })
  @Min(1, { message: 'limit must be a whole number from 1 to 1000' })
  @Max(1000, { message: 'limit must be a whole number from 1 to 1000' })
  limit?: number;
}
