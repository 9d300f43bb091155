import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/api-error-response.dto';
import { LimitsDto } from './dto/limits.dto';
import { LimitsQueryDto } from './dto/limits-query.dto';
import { LimitsService } from './limits.service';

@ApiTags('limits')
@Controller('sms/limits')
export class LimitsController {
  constructor(@Inject(LimitsService) private readonly limits: LimitsService) {}

  /** Today's usage of the daily limits; `?to=` adds that recipient's. */
  @Get()
  @ApiOperation({
    summary: "Today's use of the daily send limits and when they reset; ?to= adds a recipient's",
  })
  @ApiOkResponse({ type: LimitsDto })
  @ApiErrorResponses(400)
  view(@Query() query: LimitsQueryDto): Promise<LimitsDto> {
    return this.limits.view(query.to);
  }
}
