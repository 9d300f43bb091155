import { Controller, Delete, Get, HttpCode, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { Audited } from '../safety/audit/audited.decorator';
import { ScheduledQueryDto } from './dto/scheduled-query.dto';
import { ScheduledSendDto } from './dto/scheduled-send.dto';
import { ScheduleService } from './schedule.service';

class ScheduledListDto {
  scheduled!: ScheduledSendDto[];
}

@ApiTags('messages')
@Controller('sms/scheduled')
export class ScheduledController {
  constructor(@Inject(ScheduleService) private readonly schedule: ScheduleService) {}

  @Get()
  @ApiOperation({ summary: 'Sends for later and what became of them, soonest first' })
  @ApiOkResponse({ type: ScheduledListDto })
  @ApiErrorResponses(400)
  list(@Query() query: ScheduledQueryDto): { scheduled: ScheduledSendDto[] } {
    return { scheduled: this.schedule.list(query.status) };
  }

  @Delete(':id')
  @HttpCode(200)
  @Audited('cancel_scheduled')
  @ApiOperation({
    summary: 'Cancel a send for later',
    description: 'Cancelling twice answers the cancelled send again. 409 once it went out.',
  })
  @ApiOkResponse({ type: ScheduledSendDto })
  @ApiErrorResponses(404, 409)
  cancel(@Param('id') id: string): { scheduled: ScheduledSendDto } {
    return { scheduled: this.schedule.cancel(id) };
  }
}
