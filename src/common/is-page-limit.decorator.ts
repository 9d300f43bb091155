import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The most rows one page of any list holds. */
export const MAX_PAGE_LIMIT = 500;

const PROBLEM = `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}`;

/** `?limit=` of every paged list, documented with the list's own default. */
export function IsPageLimit(defaultLimit: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: MAX_PAGE_LIMIT,
      default: defaultLimit,
    }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: PROBLEM }),
    Min(1, { message: PROBLEM }),
    Max(MAX_PAGE_LIMIT, { message: PROBLEM }),
  );
}
