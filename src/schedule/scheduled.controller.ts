import { Controller, Delete, Get, HttpCode, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { Audited } from '../safety/audit/audited.decorator';
import { CancelledSendDto } from './dto/cancelled-send.dto';
import { ScheduledListDto } from './dto/scheduled-list.dto';
import { ScheduledQueryDto } from './dto/scheduled-query.dto';
import { ScheduleService } from './schedule.service';

@ApiTags('messages')
@Controller('sms/scheduled')
export class ScheduledController {
  constructor(@Inject(ScheduleService) private readonly schedule: ScheduleService) {}

  @Get()
  @ApiOperation({ summary: 'Sends for later and what became of them, soonest first' })
  @ApiOkResponse({ type: ScheduledListDto })
  @ApiErrorResponses(400)
  async list(@Query() query: ScheduledQueryDto): Promise<ScheduledListDto> {
    return { scheduled: await this.schedule.list(query.status) };
  }

  @Delete(':id')
  @HttpCode(200)
  @Audited('cancel_scheduled')
  @ApiOperation({
    summary: 'Cancel a send for later',
    description: 'Cancelling twice answers the cancelled send again. 409 once it went out.',
  })
  @ApiOkResponse({ type: CancelledSendDto })
  @ApiErrorResponses(404, 409)
  async cancel(@Param('id') id: string): Promise<CancelledSendDto> {
    return { scheduled: await this.schedule.cancel(id) };
  }
}
