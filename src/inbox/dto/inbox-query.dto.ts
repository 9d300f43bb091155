import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class InboxQueryDto {
  /** An ISO-8601 time or a message sid; the page holds what came after it. */
  @IsOptional()
  @IsString({ message: 'since must be an ISO-8601 time or a message sid' })
  since?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit?: number;

  /** Also list texts suppressed by the per-sender inbound limit (status `suppressed`). */
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeSuppressed must be true or false' })
  includeSuppressed?: boolean;
}
