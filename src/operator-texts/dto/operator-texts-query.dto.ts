import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { IsPageLimit } from '../../common/is-page-limit.decorator';

export class OperatorTextsQueryDto {
  @IsPageLimit(50)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the last page: older texts.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'before must be a text id' })
  @Min(1, { message: 'before must be a text id' })
  before?: number;
}
