import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class OperatorTextsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the last page: older texts.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'before must be a text id' })
  @Min(1, { message: 'before must be a text id' })
  before?: number;
}
