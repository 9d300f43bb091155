import { Controller, Get, Inject, Query } from '@nestjs/common';
import { LimitsQueryDto } from './dto/limits-query.dto';
import { LimitsService, LimitsView } from './limits.service';

@Controller('sms/limits')
export class LimitsController {
  constructor(@Inject(LimitsService) private readonly limits: LimitsService) {}

  /** Today's usage of the daily limits; `?to=` adds that recipient's. */
  @Get()
  view(@Query() query: LimitsQueryDto): LimitsView {
    return this.limits.view(query.to);
  }
}
